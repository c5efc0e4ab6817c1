from django import forms
from django.core.validators import URLValidator
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation
from peerlearn.uploads import DocumentField

from .models import (
    EvaluationPoint,
    LearningObjective,
    ObjectiveCategory,
    ObjectiveRating,
    Reflection,
    ReportReply,
    ReportSchedule,
)

OWN = "own:"


def _category_choices(initiative):
    built_in = [
        (key, label)
        for key, label in LearningObjective.Category.choices
        if key != LearningObjective.Category.OWN
    ]
    own = [
        (f"{OWN}{c.pk}", c.name) for c in ObjectiveCategory.objects.filter(initiative=initiative)
    ]
    return built_in + own


class ObjectiveForm(forms.ModelForm):
    """A learning objective: its category (one of the four or the initiative's own),
    what it is about, and, once it is under way, its status and evidence."""

    category_choice = forms.ChoiceField(label=_("Category"))
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Give a web address that starts with http:// or https://.")},
    )
    upload = DocumentField(
        label=_("Evidence file"),
        required=False,
        widget=forms.FileInput,
        help_text=_("A PDF, Office document, image or plain text file."),
    )

    class Meta:
        model = LearningObjective
        fields = ["category_choice", "description", "status", "evidence", "evidence_url"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _("What you mean to learn, in a sentence or two."),
            "evidence": _("What shows the learning: a change you made, a note, a result."),
        }
        error_messages = {"description": {"required": _("Say what you mean to learn.")}}

    def __init__(self, *args, initiative, with_progress=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_choice"].choices = _category_choices(initiative)
        if self.instance.own_category_id:
            self.initial["category_choice"] = f"{OWN}{self.instance.own_category_id}"
        elif self.instance.category:
            self.initial["category_choice"] = self.instance.category
        if not with_progress:
            for name in ("status", "evidence", "evidence_url", "upload"):
                del self.fields[name]
        elif self.instance.evidence_file:
            # Escaped here: form templates print help text as markup.
            self.fields["upload"].help_text = escape(
                _("Now: %(name)s. Choose another file to replace it.")
                % {"name": self.instance.evidence_name}
            )
        self.helper = PlainFormHelper()

    def objective_fields(self):
        """The cleaned values as the objective's fields (without the file)."""
        data = dict(self.cleaned_data)
        data.pop("upload", None)
        choice = data.pop("category_choice")
        if choice.startswith(OWN):
            data["category"] = LearningObjective.Category.OWN
            data["own_category"] = ObjectiveCategory.objects.get(pk=choice.removeprefix(OWN))
        else:
            data["category"], data["own_category"] = choice, None
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ObjectiveCategory
        fields = ["name"]
        labels = {"name": _("New category")}
        error_messages = {"name": {"required": _("Name the category.")}}

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.helper = PlainFormHelper()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = ObjectiveCategory.objects.filter(initiative=self.initiative, name__iexact=name)
        if taken.exists():
            raise forms.ValidationError(_("The initiative already has this category."))
        return name


class ObjectiveFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + LearningObjective.Status.choices,
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=_("Home organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )

    def __init__(self, *args, initiative, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category"))] + _category_choices(initiative)
        self.fields["organisation"].queryset = organisations
        self.helper = PlainFormHelper()

    def filters(self):
        """The chosen filters, or none when the form is invalid (the page says why)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


# --- reflections ---

PRIVATE, FACILITATORS, MATCH = "private", "facilitators", "match:"


class ReflectionForm(forms.ModelForm):
    readers = forms.ChoiceField(
        label=_("Who may read it"), widget=forms.RadioSelect, initial=PRIVATE
    )

    class Meta:
        model = Reflection
        fields = ["text", "objective", "readers", "share_with_authoriser"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        labels = {"text": _("Your reflection")}
        help_texts = {
            "text": _(
                "What you learned, from whom, and what you will do with it (up to 5,000 "
                "characters)."
            ),
            "share_with_authoriser": _(
                "The progress reports to your home organisation may quote it."
            ),
        }
        error_messages = {
            "text": {"required": _("Write your reflection.")},
        }

    def __init__(self, *args, objectives, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {str(match.pk): match for match in matches}
        self.fields["objective"].queryset = objectives
        self.fields["objective"].empty_label = _("None in particular")
        self.fields["objective"].label = _("About one of your objectives")
        self.fields["readers"].choices = [
            (PRIVATE, _("Only me")),
            (FACILITATORS, _("Me and the facilitators")),
        ] + [
            (
                f"{MATCH}{pk}",
                _("My match group (match %(number)d) and the facilitators")
                % {"number": match.number},
            )
            for pk, match in self.matches.items()
        ]
        self.helper = PlainFormHelper()

    def reflection_fields(self):
        data = dict(self.cleaned_data)
        readers = data.pop("readers")
        data["match"] = self.matches.get(readers.removeprefix(MATCH))
        data["shared"] = readers == FACILITATORS
        return data


class CadenceForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Ask peers to reflect every (days)"),
        min_value=0,
        max_value=365,
        help_text=_("0 stops the emails. Peers who want no optional email are never asked."),
        error_messages={
            "required": _("Give a number of days, or 0 for never."),
            "min_value": _("Give a number of days, or 0 for never."),
            "max_value": _("Ask at least once a year (365 days at most)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


# --- dashboard ---


class DateInput(forms.DateInput):
    input_type = "date"


class DashboardFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Home organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All home organisations"),
    )
    since = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To date"), required=False, widget=DateInput)

    def __init__(self, *args, organisations, limited=False, **kwargs):
        """`limited`: the visitor sees one of `organisations`, never all of them."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        if limited:
            field.required = True
            field.empty_label = None
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return cleaned


# --- self-assessments ---

SCORES = [
    (1, _("1 – not started")),
    (2, "2"),
    (3, _("3 – half way")),
    (4, "4"),
    (5, _("5 – fully there")),
]


class EvaluationPointForm(forms.ModelForm):
    class Meta:
        model = EvaluationPoint
        fields = ["opens_on", "closes_on", "remind_every_days"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "opens_on": {
                "required": _("Give the day the round opens."),
                "invalid": _("Give a date such as 2026-03-31."),
            },
            "closes_on": {
                "required": _("Give the last day answers are taken."),
                "invalid": _("Give a date such as 2026-03-31."),
            },
            "remind_every_days": {"required": _("Give a number of days, or 0 for no reminder.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean_remind_every_days(self):
        days = self.cleaned_data["remind_every_days"]
        if days > 90:
            raise forms.ValidationError(_("Remind at least every 90 days, or give 0."))
        return days

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round must close on or after the day it opens."))
        return cleaned

    def point_fields(self):
        return dict(self.cleaned_data)


class SelfAssessmentForm(forms.Form):
    """A peer's rating of each of their objectives: how far they have got (1–5), where
    the learning came from, and a comment. A draft asks nothing to be filled in."""

    def __init__(self, *args, objectives, draft=False, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            score = forms.TypedChoiceField(
                label=_("How far have you got?"),
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=not draft,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how far you have got, from 1 to 5.")},
            )
            source = forms.ChoiceField(
                label=_("Where did the learning come from?"),
                choices=ObjectiveRating.Source.choices,
                required=not draft,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say where the learning came from.")},
            )
            comment = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for name, field in (("score", score), ("source", source), ("comment", comment)):
                field.disabled = read_only
                self.fields[self._name(objective, name)] = field
        self.helper = PlainFormHelper()

    @staticmethod
    def _name(objective, part):
        return f"objective{objective.pk}_{part}"

    @classmethod
    def initial_from(cls, objectives, ratings):
        """The saved ratings ({objective id: rating}) as the form's initial values."""
        initial = {}
        for objective in objectives:
            rating = ratings.get(objective.pk)
            if rating is not None:
                initial[cls._name(objective, "score")] = rating.score
                initial[cls._name(objective, "source")] = rating.source
                initial[cls._name(objective, "comment")] = rating.comment
        return initial

    def groups(self):
        """[(objective, [bound fields])] for the template, one fieldset per objective."""
        return [
            (
                objective,
                [self[self._name(objective, part)] for part in ("score", "source", "comment")],
            )
            for objective in self.objectives
        ]

    def ratings(self):
        """{objective: {score, source, comment}} as cleaned."""
        return {
            objective: {
                part: self.cleaned_data.get(self._name(objective, part))
                for part in ("score", "source", "comment")
            }
            for objective in self.objectives
        }


# --- reports to authorisers ---


class ReportScheduleForm(forms.Form):
    cadence = forms.ChoiceField(
        label=_("Send progress reports to authorisers"),
        choices=ReportSchedule.Cadence.choices,
        help_text=_(
            "Each home organisation's authorisers get a report on their own peers once a "
            "period has ended."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class ReportNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Personal note for the next report"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown at the top of the next report to this organisation. Leave empty for none."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class ReportReplyForm(forms.ModelForm):
    class Meta:
        model = ReportReply
        fields = ["kind", "text", "due_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "text": _(
                "A comment, or what your organisation commits to (for example: "
                "“report-back scheduled for 12 March”)."
            ),
        }
        error_messages = {"text": {"required": _("Write your reply.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_on") and cleaned.get("kind") != ReportReply.Kind.COMMITMENT:
            self.add_error("due_on", _("Only a commitment has a date."))
        return cleaned
