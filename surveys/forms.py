from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from initiatives.taxonomy import REFORM_AREAS
from peerlearn.content_languages import OtherLanguagesMixin, in_language, lines_in_language
from peerlearn.forms import PlainFormHelper
from peerlearn.languages import LANGUAGES

from . import profile
from .models import Question, Survey

Kind = Question.Kind
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(number, str(number)) for number in range(1, 6)]


def field_name(question):
    return f"q{question.pk}"


def _text_field(question, required):
    declared = question.declared_field
    if declared and declared.kind == profile.NUMBER:
        return forms.IntegerField(required=required, min_value=0, max_value=declared.max_value)
    max_length = (declared and declared.max_length) or 300
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(required=required, widget=forms.Textarea(attrs={"rows": 4}))
    return forms.CharField(required=required, max_length=max_length)


def question_field(question, required):
    """The form field that asks `question`; `required` is False for drafts."""
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        field = _text_field(question, required)
    elif kind == Kind.SINGLE_CHOICE:
        # Answers keep the original choice, whatever language the peer read it in.
        choices = lines_in_language(question, "choices")
        field = forms.ChoiceField(required=required, choices=choices, widget=forms.RadioSelect)
    elif kind == Kind.MULTIPLE_CHOICE:
        choices = lines_in_language(question, "choices")
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
    field.label = in_language(question, "text")
    # Form templates print help text as markup; a facilitator's words are plain text.
    field.help_text = escape(in_language(question, "help_text"))
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


def initial_answers(questions, response, known):
    """What the form shows first: saved answers, else what is known already ({profile
    field: value}, from a peer list, say)."""
    saved = response.answers if response else {}
    initial = {}
    for question in questions:
        if str(question.pk) in saved:
            initial[field_name(question)] = saved[str(question.pk)]
        elif known.get(question.profile_field) not in (None, "", []):
            initial[field_name(question)] = known[question.profile_field]
    return initial


class QuestionForm(OtherLanguagesMixin, forms.ModelForm):
    translated_fields = ("text", "help_text", "choices")

    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "required", "choices", "profile_field"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.helper = PlainFormHelper()
        self.add_other_languages()

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
        # Fields that hold codes or a number accept only the question type that gives them.
        needed = profile.BY_NAME[profile_field].question_kind
        if needed and kind != needed:
            self.add_error(
                "kind",
                _("Answers for “%(field)s” need the type “%(kind)s”.")
                % {
                    "field": Question.ProfileField(profile_field).label,
                    "kind": Kind(needed).label,
                },
            )
        taken = self.survey.questions.filter(profile_field=profile_field).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            self.add_error("profile_field", _("Another question already fills this profile field."))


class SurveySettingsForm(OtherLanguagesMixin, forms.ModelForm):
    translated_fields = ("title", "intro")

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
        self.add_other_languages()

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
