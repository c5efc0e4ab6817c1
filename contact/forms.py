import contextlib

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from initiatives.taxonomy import REFORM_AREA_NAMES, REFORM_AREAS
from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation
from peerlearn.uploads import DocumentField

from .models import (
    Contact,
    HelpRequest,
    LibraryDocument,
    LogisticsRequest,
    MatchCheckIn,
    MatchNote,
    PostEmailChoice,
    library_languages,
)


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


# --- library ---

WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _reform_areas(initiative, kept=()):
    """The initiative's reform areas (the whole taxonomy when it has none), plus the
    `kept` ones documents already have, even if the initiative dropped them."""
    keys = list(initiative.reform_areas) or [key for key, _name in REFORM_AREAS]
    keys += [key for key in kept if key and key not in keys]
    return [(key, REFORM_AREA_NAMES.get(key, key)) for key in keys]


class LibraryDocumentForm(forms.ModelForm):
    """A file or a link for the library, with what readers search and filter by."""

    upload = DocumentField(
        label=_("File"),
        required=False,
        widget=forms.FileInput,
        help_text=_("A PDF, Office document, image or plain text file."),
    )
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[WEB_ADDRESS],
        error_messages={"invalid": _("Give a web address that starts with http:// or https://.")},
        help_text=_("A web page or a document kept elsewhere: an http:// or https:// address."),
    )
    reform_area = forms.ChoiceField(label=_("Reform area"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = LibraryDocument
        fields = [
            "title",
            "description",
            "upload",
            "url",
            "authors",
            "kind",
            "reform_area",
            "language",
            "dated",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "authors": forms.CheckboxSelectMultiple,
            "dated": DateInput,
        }
        help_texts = {"authors": _("The peers who wrote it, if any.")}

    def __init__(self, *args, initiative, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = people
        self.fields["authors"].label_from_instance = _person
        self.fields["reform_area"].choices = [("", "—")] + _reform_areas(
            initiative, [self.instance.reform_area]
        )
        self.fields["language"].choices = [("", "—")] + library_languages()
        if self.instance.file:
            # Escaped here: form templates print help text as markup.
            self.fields["upload"].help_text = escape(
                _("Now: %(name)s. Choose another file to replace it.")
                % {"name": self.instance.original_name}
            )
        self.initial.setdefault("dated", timezone.localdate())
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        upload, url = cleaned.get("upload"), cleaned.get("url")
        if upload and url:
            raise forms.ValidationError(_("Choose a file or give a link, not both."))
        if "upload" in self.errors or "url" in self.errors:
            return cleaned  # the field says what was wrong
        if not upload and not url and not self.instance.file:
            raise forms.ValidationError(_("Choose a file or give a link."))
        return cleaned


class LibraryFilterForm(forms.Form):
    words = forms.CharField(label=_("Words"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Any kind"))] + LibraryDocument.Kind.choices,
        required=False,
    )
    reform_area = forms.ChoiceField(label=_("Reform area"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Any author"),
    )

    def __init__(self, *args, initiative, authors, areas_in_use, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reform_area"].choices = [("", _("Any area"))] + _reform_areas(
            initiative, areas_in_use
        )
        self.fields["language"].choices = [("", _("Any language"))] + library_languages()
        self.fields["author"].queryset = authors
        self.fields["author"].label_from_instance = _person
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
