from django.urls import path

from . import views

app_name = "matching"

survey = "initiatives/<int:pk>/survey/"
question = survey + "questions/<int:question_pk>/"

urlpatterns = [
    path(survey, views.survey, name="survey"),
    path(survey + "draft/", views.save_draft, name="save_draft"),
    path(survey + "submit/", views.submit, name="submit"),
    path(survey + "builder/", views.builder, name="builder"),
    path(survey + "settings/", views.survey_settings, name="settings"),
    path(survey + "preview/", views.preview, name="preview"),
    path(survey + "questions/new/", views.add_question, name="add_question"),
    path(question + "edit/", views.edit_question, name="edit_question"),
    path(question + "delete/", views.delete_question, name="delete_question"),
    path(question + "up/", views.move_question_up, name="move_question_up"),
    path(question + "down/", views.move_question_down, name="move_question_down"),
    path(survey + "results/", views.results, name="results"),
    path(survey + "results/<int:membership_pk>/", views.peer_answers, name="peer_answers"),
    path(survey + "export.csv", views.export_csv, name="export_csv"),
    path(survey + "export.xlsx", views.export_xlsx, name="export_xlsx"),
]
