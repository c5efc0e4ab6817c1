from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from initiatives.taxonomy import REFORM_AREAS
from peerlearn.forms import PlainFormHelper
from peerlearn.languages import LANGUAGES

from .models import (
    KeptApart,
    Match,
    MatchCheckIn,
    MatchMember,
    PeerProfile,
    Question,
    Survey,
    default_weights,
)
from .peer_import import UnreadableFile, check_upload

WEIGHT_LABELS = {
    "challenges": _("Weight of shared challenges and problems"),
    "challenge_tags": _("Weight of shared challenge areas"),
    "position": _("Weight of a similar position"),
    "task": _("Weight of a similar task or policy initiative"),
    "years_of_service": _("Weight of similar years of service"),
    "background": _("Weight of a similar professional background"),
}


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
    matches_per_peer = forms.TypedChoiceField(
        label=_("Published matches a peer may be in"),
        choices=[(n, str(n)) for n in range(1, 4)],
        coerce=int,
        initial=1,
        required=False,
        empty_value=1,
        help_text=_(
            "With 1, peers already in a published match are left out. Raise it for a second "
            "round (a pair and a group, say); nobody is put with a current or former partner."
        ),
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
            "matches_per_peer": data["matches_per_peer"],
            "weights": {name: data[name] for name in default_weights()},
        }


class PeerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        organisation = membership.home_organisation
        return f"{membership.user}, {organisation}" if organisation else str(membership.user)


class PeerListForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("List of peers (CSV or XLSX)"),
        help_text=_(
            "First row: column names. Only “email” is required; also read: name, organisation, "
            "country, position, years_of_service, background, languages, challenges, "
            "challenge_tags, task, wants_to_learn, can_offer. Separate several languages or "
            "challenge areas with semicolons."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        self.content = upload.read()
        try:
            check_upload(upload.name, self.content)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class KeepApartForm(forms.Form):
    first = PeerChoiceField(label=_("Peer"), queryset=Membership.objects.none())
    second = PeerChoiceField(label=_("Never with"), queryset=Membership.objects.none())
    reason = forms.CharField(
        label=_("Why (only facilitators see this)"), max_length=200, required=False
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        peers = initiative.memberships.peers().current().by_name()
        self.fields["first"].queryset = peers
        self.fields["second"].queryset = peers
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second and first == second:
            raise forms.ValidationError(_("Choose two different peers."))
        if first and second:
            low, high = sorted((first.pk, second.pk))
            if KeptApart.objects.filter(
                initiative=self.initiative, first_id=low, second_id=high
            ).exists():
                raise forms.ValidationError(_("These two peers are kept apart already."))
        return cleaned


class MoveMemberForm(forms.Form):
    to_match = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Match.objects.none(),
        error_messages={
            "required": _("Choose the match to move them to."),
            "invalid_choice": _(
                "Choose one of the matches listed; a locked match takes nobody in."
            ),
        },
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_match"].queryset = Match.objects.open_to(member)


class SwapMemberForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Swap with"),
        queryset=MatchMember.objects.none(),
        error_messages={
            "required": _("Choose someone in another match of this run."),
            "invalid_choice": _(
                "Choose someone listed: in another match of this run, and not a locked one."
            ),
        },
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = MatchMember.objects.swappable_with(member)


class FindPeopleForm(forms.Form):
    """Narrows a list of matches or people to those with a name or email."""

    q = forms.CharField(label=_("Name or email"), max_length=100, required=False)

    def text(self):
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


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


Kind = Question.Kind
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(number, str(number)) for number in range(1, 6)]


def field_name(question):
    return f"q{question.pk}"


def _text_field(question, required):
    if question.profile_field == Question.ProfileField.YEARS_OF_SERVICE:
        return forms.IntegerField(required=required, min_value=0, max_value=70)
    max_length = 300
    if question.profile_field:
        max_length = PeerProfile._meta.get_field(question.profile_field).max_length or max_length
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(required=required, widget=forms.Textarea(attrs={"rows": 4}))
    return forms.CharField(required=required, max_length=max_length)


def question_field(question, required):
    """The form field that asks `question`; `required` is False for drafts."""
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        field = _text_field(question, required)
    elif kind == Kind.SINGLE_CHOICE:
        choices = [(choice, choice) for choice in question.choice_list]
        field = forms.ChoiceField(required=required, choices=choices, widget=forms.RadioSelect)
    elif kind == Kind.MULTIPLE_CHOICE:
        choices = [(choice, choice) for choice in question.choice_list]
        field = forms.MultipleChoiceField(
            required=required, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    elif kind == Kind.SCALE:
        field = forms.TypedChoiceField(
            required=required,
            choices=SCALE,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
        )
    elif kind == Kind.REFORM_AREAS:
        field = forms.MultipleChoiceField(
            required=required, choices=REFORM_AREAS, widget=forms.CheckboxSelectMultiple
        )
    elif kind == Kind.LANGUAGES:
        field = forms.MultipleChoiceField(
            required=required, choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
        )
    else:
        field = forms.ChoiceField(required=required, choices=YES_NO, widget=forms.RadioSelect)
    field.label = question.text
    # Form templates print help text as markup; a facilitator's words are plain text.
    field.help_text = escape(question.help_text)
    return field


class SurveyForm(forms.Form):
    """A peer's answers. A draft asks nothing to be filled in; a submission checks it all."""

    def __init__(self, *args, questions, draft=False, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            field = question_field(question, required=question.required and not draft)
            field.disabled = read_only
            self.fields[field_name(question)] = field
        self.helper = PlainFormHelper()

    def answers(self):
        """Cleaned answers keyed by question id, leaving out the unanswered ones."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value not in (None, "", []):
                answers[str(question.pk)] = value
        return answers


def initial_answers(questions, response, profile):
    """What the form shows first: saved answers, else what the profile already holds."""
    saved = response.answers if response else {}
    initial = {}
    for question in questions:
        if str(question.pk) in saved:
            initial[field_name(question)] = saved[str(question.pk)]
        elif profile is not None and question.profile_field:
            value = getattr(profile, question.profile_field)
            if value not in (None, "", []):
                initial[field_name(question)] = value
    return initial


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "required", "choices", "profile_field"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}

    # Profile fields that hold codes or a number accept only the question type that
    # produces them; the text fields accept any answer.
    KINDS_FOR_FIELD = {
        Question.ProfileField.CHALLENGE_TAGS: Kind.REFORM_AREAS,
        Question.ProfileField.LANGUAGES: Kind.LANGUAGES,
        Question.ProfileField.YEARS_OF_SERVICE: Kind.SHORT_TEXT,
    }

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices = [line for line in cleaned.get("choices", "").splitlines() if line.strip()]
        if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE) and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        profile_field = cleaned.get("profile_field")
        if profile_field:
            self._check_profile_field(profile_field, kind)
        return cleaned

    def _check_profile_field(self, profile_field, kind):
        needed = self.KINDS_FOR_FIELD.get(profile_field)
        if needed and kind != needed:
            self.add_error(
                "kind",
                _("Answers for “%(field)s” need the type “%(kind)s”.")
                % {"field": Question.ProfileField(profile_field).label, "kind": needed.label},
            )
        taken = self.survey.questions.filter(profile_field=profile_field).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            self.add_error("profile_field", _("Another question already fills this profile field."))


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "opens_at", "closes_at", "max_reminders", "reminder_gap_days"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean_max_reminders(self):
        value = self.cleaned_data["max_reminders"]
        if value > 10:
            raise forms.ValidationError(_("Send at most 10 reminders."))
        return value

    def clean_reminder_gap_days(self):
        value = self.cleaned_data["reminder_gap_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Choose between 1 and 90 days."))
        return value

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return cleaned
