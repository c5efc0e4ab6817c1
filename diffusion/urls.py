from django.urls import path

from . import views

app_name = "diffusion"

base = "initiatives/<int:pk>/diffusion/"

urlpatterns = [
    path(base, views.index, name="index"),
    path(f"{base}mine/", views.mine, name="mine"),
    path(f"{base}mine/plan/", views.plan_add, name="plan_add"),
    path(f"{base}mine/plan/<int:plan_item_pk>/", views.plan_item, name="plan_item"),
    path(f"{base}mine/report-back/", views.report_back_add, name="report_back_add"),
    path(f"{base}report-backs/", views.report_backs, name="report_backs"),
    path(f"{base}report-backs.csv", views.report_backs_csv, name="report_backs_csv"),
    path(f"{base}report-backs.xlsx", views.report_backs_xlsx, name="report_backs_xlsx"),
    path(f"{base}report-backs/record/", views.report_back_record, name="report_back_record"),
    path(f"{base}stories/", views.stories, name="stories"),
    path(f"{base}stories/new/", views.story_add, name="story_add"),
    path(f"{base}stories/<int:story_pk>/", views.story, name="story"),
    path(f"{base}stories/<int:story_pk>/verify/", views.story_verify, name="story_verify"),
    path(f"{base}commitments/", views.commitments, name="commitments"),
    path(f"{base}commitments/<int:membership_pk>/", views.commitment, name="commitment"),
    path(
        f"{base}commitments/<int:membership_pk>/countersign/",
        views.commitment_countersign,
        name="commitment_countersign",
    ),
    path(f"{base}communities/", views.communities, name="communities"),
    path(f"{base}communities/new/", views.community_add, name="community_add"),
    path(f"{base}communities/<int:community_pk>/", views.community, name="community"),
]
