from django.urls import path

from . import views

app_name = "evaluation"

base = "initiatives/<int:pk>/learning/"
objective = f"{base}objectives/<int:objective_pk>/"

urlpatterns = [
    path(base, views.learning, name="learning"),
    path(f"{base}objectives.csv", views.objectives_csv, name="objectives_csv"),
    path(f"{base}objectives.xlsx", views.objectives_xlsx, name="objectives_xlsx"),
    path(f"{base}shared-objectives/", views.shared_objectives, name="shared_objectives"),
    path(f"{base}categories/", views.categories, name="categories"),
    path(f"{base}prompts/", views.cadence, name="cadence"),
    path(f"{base}reflections/", views.facilitator_reflections, name="facilitator_reflections"),
    path(f"{base}authorised/", views.authorised_objectives, name="authorised_objectives"),
    path(f"{base}my-objectives/", views.objectives, name="objectives"),
    path(f"{base}my-objectives/new/", views.objective_new, name="objective_new"),
    path(f"{objective}edit/", views.objective_edit, name="objective_edit"),
    path(f"{objective}adopt/", views.objective_adopt, name="objective_adopt"),
    path(f"{objective}evidence/", views.objective_evidence, name="objective_evidence"),
    path(f"{base}my-reflections/", views.reflections, name="reflections"),
    path(f"{base}my-reflections/new/", views.reflection_new, name="reflection_new"),
]

# --- reports to authorisers ---
reports = f"{base}reports/"
report = "reports/<str:report_token>/"
urlpatterns += [
    path(reports, views.reports, name="reports"),
    path(f"{reports}schedule/", views.report_schedule, name="report_schedule"),
    path(f"{reports}<int:organisation_pk>/preview/", views.report_preview, name="report_preview"),
    path(f"{reports}<int:organisation_pk>/note/", views.report_note, name="report_note"),
    path(f"{reports}<int:organisation_pk>/send/", views.report_send_now, name="report_send_now"),
    path(f"{reports}retry/<int:report_pk>/", views.report_retry, name="report_retry"),
    path("reports/", views.my_reports, name="my_reports"),
    path(report, views.report, name="report"),
    path(f"{report}pdf/", views.report_pdf, name="report_pdf"),
    path(f"{report}acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path(f"{report}reply/", views.report_reply, name="report_reply"),
]
