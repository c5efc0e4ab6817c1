from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn import audit
from peerlearn.forms import PlainFormHelper
from peerlearn.languages import LANGUAGES
from peerlearn.models import Organisation, User

from ..models import Initiative, Role, Stage
from ..taxonomy import REFORM_AREAS


class InitiativeForm(forms.ModelForm):
    reform_areas = forms.MultipleChoiceField(
        label=_("Reform areas"),
        choices=REFORM_AREAS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "description",
            "reform_areas",
            "languages",
            "starts_on",
            "ends_on",
            "follow_up_every_days",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be after the start date."))
        return cleaned

    def clean_follow_up_every_days(self):
        days = self.cleaned_data["follow_up_every_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError(_("Choose between 1 and 365 days."))
        return days


class HistoryFilterForm(forms.Form):
    """Narrows an initiative's history to one person and one kind of change (GET)."""

    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    action = forms.ChoiceField(label=_("Kind of change"), required=False)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = audit.actors(initiative)
        self.fields["action"].choices = [("", _("Every kind of change")), *audit.actions()]
        self.helper = PlainFormHelper()

    def filters(self):
        """The chosen person and change, for audit.history; none while the choice is invalid."""
        if not self.is_valid():
            return {}
        return {"actor": self.cleaned_data["person"], "action": self.cleaned_data["action"]}


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "country"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PEER)
    home_organisation = forms.ModelChoiceField(
        label=_("Home organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Peers and authorisers belong to a home organisation."),
    )
    new_organisation = forms.CharField(
        label=_("…or a new home organisation"), max_length=200, required=False
    )
    new_organisation_country = forms.CharField(
        label=_("Country of the new organisation"), max_length=100, required=False
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["home_organisation"].queryset = Organisation.objects.used_by(
            initiative.organisation
        )
        self.helper = PlainFormHelper()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        new_name = cleaned.get("new_organisation", "").strip()
        needs_organisation = role in (Role.PEER, Role.AUTHORISER)
        if needs_organisation and not cleaned.get("home_organisation") and not new_name:
            self.add_error(
                "home_organisation",
                _("Choose the person's home organisation, or name a new one."),
            )
        if role == Role.FACILITATOR and cleaned.get("email"):
            existing = User.objects.for_email(cleaned["email"])
            team = existing.facilitating_organisation if existing else None
            if team not in (None, self.initiative.organisation):
                self.add_error("email", _("This person already belongs to another organisation."))
        return cleaned

    def home_organisation_to_use(self):
        """The chosen organisation, or the new one (created if it does not exist yet)."""
        if self.cleaned_data["role"] == Role.FACILITATOR:
            return None
        chosen = self.cleaned_data.get("home_organisation")
        if chosen:
            return chosen
        name = self.cleaned_data["new_organisation"].strip()
        country = self.cleaned_data.get("new_organisation_country", "").strip()
        return Organisation.objects.home_organisation_named(name, country)


class StageMoveForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Move to"), choices=Stage.choices, coerce=int)
    acknowledge = forms.BooleanField(
        label=_("I know these items are still open and want to move on anyway."),
        required=False,
    )

    def __init__(self, *args, current, **kwargs):
        following = min(current + 1, max(Stage.values))
        super().__init__(*args, initial={"stage": following}, **kwargs)
        self.current = current

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        if stage == self.current:
            raise forms.ValidationError(_("The initiative is already in this stage."))
        return stage
