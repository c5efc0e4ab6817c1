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

# --- dashboard ---

dashboard = "initiatives/<int:pk>/dashboard/"

urlpatterns += [
    path(dashboard, views.dashboard, name="dashboard"),
    path(f"{dashboard}figures.csv", views.dashboard_csv, name="dashboard_csv"),
    path(f"{dashboard}figures.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path(f"{dashboard}funnel.svg", views.funnel_chart, name="funnel_chart"),
    path(f"{dashboard}trends/<str:dimension>.svg", views.trend_chart, name="trend_chart"),
]


# --- self-assessments ---

assessments = f"{base}self-assessments/"
mine = f"{base}my-self-assessments/"

urlpatterns += [
    path(assessments, views.self_assessment_timeline, name="self_assessment_timeline"),
    path(f"{assessments}rounds/<str:round_>/", views.evaluation_point, name="evaluation_point"),
    path(f"{assessments}results/", views.self_assessment_results, name="self_assessment_results"),
    path(f"{assessments}results.svg", views.self_assessment_chart, name="self_assessment_chart"),
    path(f"{assessments}results.csv", views.self_assessment_csv, name="self_assessment_csv"),
    path(f"{assessments}results.xlsx", views.self_assessment_xlsx, name="self_assessment_xlsx"),
    path(mine, views.self_assessments, name="self_assessments"),
    path(f"{mine}<str:round_>/", views.self_assessment_round, name="self_assessment_round"),
    path(f"{mine}<str:round_>/draft/", views.self_assessment_draft, name="self_assessment_draft"),
    path(
        f"{mine}<str:round_>/submit/", views.self_assessment_submit, name="self_assessment_submit"
    ),
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
