import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation

from .models import Contact, HelpRequest, MatchNote


class DateInput(forms.DateInput):
    input_type = "date"


class _ContactForm(forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("Who took part"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person who took part.")},
    )

    class Meta:
        model = Contact
        fields = ["kind", "happened_on", "participants", "note", "helped_with"]
        widgets = {"happened_on": DateInput}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["participants"].label_from_instance = _person
        self.helper = PlainFormHelper()

    def clean_happened_on(self):
        happened_on = self.cleaned_data["happened_on"]
        if happened_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return happened_on


def _person(membership):
    return membership.user.name or membership.user.email


class PeerContactForm(_ContactForm):
    """A peer logs a contact with their match; GET parameters may prefill kind and date."""

    @classmethod
    def initial_from(cls, query, people):
        initial = {"kind": Contact.Kind.CALL, "happened_on": timezone.localdate()}
        if query.get("kind") in Contact.Kind.values:
            initial["kind"] = query["kind"]
        date = forms.DateField(required=False)
        with contextlib.suppress(forms.ValidationError):  # a bad link still opens the form
            initial["happened_on"] = date.clean(query.get("date")) or initial["happened_on"]
        initial["participants"] = list(people)
        return initial


class GroupContactForm(_ContactForm):
    """A facilitator logs a group activity or a site visit for many peers at once."""

    participants = forms.ModelMultipleChoiceField(
        label=_("Peers who took part"),
        queryset=Membership.objects.none(),
        error_messages={"required": _("Choose at least one person who took part.")},
    )

    class Meta(_ContactForm.Meta):
        fields = [
            "kind",
            "happened_on",
            "participants",
            "host_organisation",
            "outcome",
            "note",
        ]
        widgets = {"happened_on": DateInput}
        help_texts = {
            "host_organisation": _("For a site visit: the organisation that hosted it."),
            "outcome": _("For a joint activity: what it produced."),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_organisation"].queryset = organisations
        self.initial.setdefault("happened_on", timezone.localdate())


class ContactFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind"))] + Contact.Kind.choices, required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Home organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )
    match_number = forms.IntegerField(label=_("Match number"), min_value=1, required=False)
    since = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To date"), required=False, widget=DateInput)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = PlainFormHelper()

    def filters(self):
        """The chosen filters, or none when the form is invalid (the page says why)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


# --- momentum ---


class MomentumFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Any state")),
            ("help", _("Help requested")),
            ("quiet", _("Quiet")),
            ("alive", _("In touch")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def chosen_state(self):
        return self.cleaned_data.get("state", "") if self.is_valid() else ""


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["text"]
        labels = {"text": _("What would help? (optional)")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class ResolveHelpForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say briefly what was done.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class MatchNoteForm(forms.ModelForm):
    class Meta:
        model = MatchNote
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Write the note first.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class PauseNudgesForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Pause reminders for"),
        coerce=int,
        choices=[(14, _("2 weeks")), (30, _("1 month")), (91, _("3 months"))],
    )
