import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation

from .models import Contact, LogisticsRequest, MatchCheckIn


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


# --- check-ins ---


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


# --- logistics requests ---


class LogisticsRequestForm(forms.ModelForm):
    class Meta:
        model = LogisticsRequest
        fields = ["kind", "details", "match", "needed_on"]
        widgets = {"details": forms.Textarea(attrs={"rows": 5}), "needed_on": DateInput}
        help_texts = {
            "details": _("What you need, where and for whom (up to 2,000 characters)."),
            "needed_on": _("Leave empty if there is no date."),
        }
        error_messages = {"details": {"required": _("Say what you need.")}}

    def __init__(self, *args, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = matches
        self.fields["match"].label_from_instance = _match_label
        self.fields["match"].empty_label = _("None in particular")
        self.helper = PlainFormHelper()

    def clean_needed_on(self):
        needed_on = self.cleaned_data["needed_on"]
        if needed_on and needed_on < timezone.localdate():
            raise forms.ValidationError(_("The date needed cannot be in the past."))
        return needed_on


def _match_label(match):
    return _("Match %(number)d") % {"number": match.number}


class LogisticsStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Note to the peer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline the request: say why."),
    )

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in LogisticsRequest.Status.choices if value != current
        ]
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        declined = cleaned.get("status") == LogisticsRequest.Status.DECLINED
        if declined and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why you decline this request."))
        return cleaned


class LogisticsFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + LogisticsRequest.Status.choices,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Any kind"))] + LogisticsRequest.Kind.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def filters(self):
        """The chosen filters, or none when the form is invalid (the page says why)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
