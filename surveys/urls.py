from django.urls import path, register_converter

from . import views
from .models import Survey

app_name = "surveys"


class SurveyKey:
    """A survey other than the pre-event one: "self_assessment-baseline", "check_in"."""

    purposes = "|".join(p for p in Survey.Purpose.values if p != Survey.Purpose.PRE_EVENT)
    rounds = "|".join(r for r in Survey.Round.values if r)
    regex = f"(?:{purposes})(?:-(?:{rounds}))?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SurveyKey, "survey_key")

PAGES = [
    ("", views.survey, "survey"),
    ("draft/", views.save_draft, "save_draft"),
    ("submit/", views.submit, "submit"),
    ("builder/", views.builder, "builder"),
    ("settings/", views.survey_settings, "settings"),
    ("preview/", views.preview, "preview"),
    ("open/", views.open_survey, "open"),
    ("questions/new/", views.add_question, "add_question"),
    ("questions/<int:question_pk>/edit/", views.edit_question, "edit_question"),
    ("questions/<int:question_pk>/delete/", views.delete_question, "delete_question"),
    ("questions/<int:question_pk>/up/", views.move_question_up, "move_question_up"),
    ("questions/<int:question_pk>/down/", views.move_question_down, "move_question_down"),
    ("results/", views.results, "results"),
    ("results/<int:membership_pk>/", views.peer_answers, "peer_answers"),
    ("export.csv", views.export_csv, "answers_csv"),
    ("export.xlsx", views.export_xlsx, "answers_xlsx"),
]

# Each page twice under one name: the pre-event survey keeps its paths of old, and
# the other surveys carry their key; Survey.url picks the right one.
urlpatterns = [
    *(path(f"initiatives/<int:pk>/survey/{page}", view, name=name) for page, view, name in PAGES),
    *(
        path(f"initiatives/<int:pk>/surveys/<survey_key:key>/{page}", view, name=name)
        for page, view, name in PAGES
    ),
]
