import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation
from peerlearn.uploads import DocumentField

from .models import Contact, PostEmailChoice


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


# --- exchanges ---

POST_MOST_CHARS = 5000


class _MessageField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Message"),
            max_length=POST_MOST_CHARS,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("Plain text: leave a blank line between paragraphs; links work."),
            error_messages={
                "required": _("Write a message first."),
                "max_length": _(
                    "A message can be at most %(limit_value)d characters; "
                    "this one has %(show_value)d."
                ),
            },
            **kwargs,
        )


class PostForm(forms.Form):
    """A new post or reply, with at most one file attached."""

    body = _MessageField()
    attachment = DocumentField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("A PDF, Office document, image or plain text file."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class EditPostForm(forms.Form):
    body = _MessageField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class HidePostForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden"),
        max_length=300,
        help_text=_("The author and the other facilitators see this reason."),
        error_messages={"required": _("Say why the message is hidden.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class PostEmailsForm(forms.ModelForm):
    class Meta:
        model = PostEmailChoice
        fields = ["choice"]
        widgets = {"choice": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()
