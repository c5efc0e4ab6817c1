from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Match, MatchCheckIn, default_weights

WEIGHT_LABELS = {
    "challenges": _("Weight of shared challenges and problems"),
    "challenge_tags": _("Weight of shared challenge areas"),
    "position": _("Weight of a similar position"),
    "task": _("Weight of a similar task or policy initiative"),
    "years_of_service": _("Weight of similar years of service"),
    "background": _("Weight of a similar professional background"),
}


class PlainFormHelper(FormHelper):
    form_tag = False
    disable_csrf = True


class RunSettingsForm(forms.Form):
    group_size = forms.TypedChoiceField(
        label=_("People per match"),
        choices=[(2, _("Pairs")), *((k, str(k)) for k in range(3, 7))],
        coerce=int,
        initial=2,
    )
    allow_same_organisation = forms.BooleanField(
        label=_("Allow two peers of the same home organisation in one match"), required=False
    )
    require_shared_language = forms.BooleanField(
        label=_("Matched peers must share a language"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in default_weights().items():
            self.fields[name] = forms.IntegerField(
                label=WEIGHT_LABELS[name],
                min_value=0,
                max_value=100,
                initial=value,
                help_text=_("0 to 100; only how the weights compare matters."),
            )
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in default_weights()]
        if all(weight is not None for weight in weights) and not any(weights):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return cleaned

    def run_settings(self):
        data = self.cleaned_data
        return {
            "group_size": data["group_size"],
            "allow_same_organisation": data["allow_same_organisation"],
            "require_shared_language": data["require_shared_language"],
            "weights": {name: data[name] for name in default_weights()},
        }


class MoveMemberForm(forms.Form):
    to_match = forms.ModelChoiceField(label=_("Move to"), queryset=Match.objects.none())

    def __init__(self, *args, run, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_match"].queryset = run.matches.exclude(pk=exclude.pk)


class EndMatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("How did it end?"), choices=Match.EndKind.choices)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class CheckInForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("How useful is this match? (1 = not at all, 5 = very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = MatchCheckIn
        fields = ["rating", "not_working", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()
