from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.content_languages import OtherLanguagesMixin
from peerlearn.forms import PlainFormHelper

from ..models import Membership, Risk, Role, Scoping
from ..models.scoping import LEARNING_GOAL_HELP, LEARNING_GOALS, Priority

LONGEST_LINE = 300


class ScopingSectionForm(forms.ModelForm):
    """The answers of one section; built for a section by `section_form`."""

    section = None

    class Meta:
        model = Scoping
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in self.section.questions:
            field = self.fields[question.field]
            field.label = question.label
            field.help_text = question.help
            field.widget = forms.Textarea(
                attrs={"rows": 5 if question.one_per_line else 4, "maxlength": field.max_length}
            )
            if question.one_per_line:
                field.validators.append(_short_lines)

    def save(self, commit=True):
        # Only this section's columns: a colleague saving another section at the same
        # time keeps their answers.
        self.instance.save(update_fields=[*self.section.fields, "updated_at"])
        return self.instance


def _short_lines(value):
    if any(len(line.strip()) > LONGEST_LINE for line in value.splitlines()):
        raise forms.ValidationError(
            _("Keep each line under %(limit)d characters: one item per line."),
            params={"limit": LONGEST_LINE},
        )


def section_form(section, *args, **kwargs):
    form_class = type(
        "SectionForm",
        (ScopingSectionForm,),
        {
            "section": section,
            "Meta": type("Meta", (ScopingSectionForm.Meta,), {"fields": section.fields}),
        },
    )
    return form_class(*args, **kwargs)


class LearningGoalsForm(forms.Form):
    """One priority per implicit learning goal, stored on the scoping."""

    def __init__(self, *args, scoping, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoping = scoping
        for key, name in LEARNING_GOALS:
            self.fields[key] = forms.TypedChoiceField(
                label=name,
                help_text=LEARNING_GOAL_HELP[key],
                choices=Priority.choices,
                coerce=int,
                initial=scoping.priority_of(key),
                widget=forms.RadioSelect,
            )
        self.helper = PlainFormHelper()
        self.helper.layout = Layout(*(InlineRadios(key) for key, _name in LEARNING_GOALS))

    def save(self):
        self.scoping.learning_goals = {
            key: priority
            for key, priority in self.cleaned_data.items()
            if priority != Priority.NOT_CHOSEN
        }
        self.scoping.save(update_fields=["learning_goals", "updated_at"])
        return self.scoping


class RiskForm(OtherLanguagesMixin, forms.ModelForm):
    translated_fields = ("description", "mitigation")

    class Meta:
        model = Risk
        fields = ["stage", "description", "mitigation", "owner", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        facilitators = Membership.objects.filter(
            initiative=initiative, role=Role.FACILITATOR
        ).current()
        owner = self.fields["owner"]
        owner.queryset = owner.queryset.filter(pk__in=facilitators.values("user_id")).order_by(
            "name", "email"
        )
        owner.help_text = _("A facilitator of this initiative who keeps an eye on it.")
        owner.empty_label = _("Nobody yet")
        self.helper = PlainFormHelper()
        self.add_other_languages()
