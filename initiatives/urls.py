from django.urls import path

from .views import core, scoping

app_name = "initiatives"

urlpatterns = [
    path("initiatives/new/", core.create_initiative, name="create"),
    path("initiatives/<int:pk>/", core.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/edit/", core.edit_initiative, name="edit"),
    path("initiatives/<int:pk>/road-map/", core.road_map, name="road_map"),
    path("initiatives/<int:pk>/people/", core.people, name="people"),
    path("initiatives/<int:pk>/people/invite/", core.invite, name="invite"),
    path(
        "initiatives/<int:pk>/people/<int:membership_pk>/withdraw/",
        core.withdraw_member,
        name="withdraw",
    ),
    path("initiatives/<int:pk>/scoping/", scoping.scoping_overview, name="scoping"),
    path(
        "initiatives/<int:pk>/scoping/learning-goals/",
        scoping.learning_goals,
        name="learning_goals",
    ),
    path("initiatives/<int:pk>/scoping/summary/", scoping.scoping_summary, name="scoping_summary"),
    path(
        "initiatives/<int:pk>/scoping/<slug:slug>/",
        scoping.scoping_section,
        name="scoping_section",
    ),
    path("initiatives/<int:pk>/risks/", scoping.risks, name="risks"),
    path("initiatives/<int:pk>/risks/new/", scoping.add_risk, name="add_risk"),
    path("initiatives/<int:pk>/risks/<int:risk_pk>/edit/", scoping.edit_risk, name="edit_risk"),
    path("initiatives/<int:pk>/risks/<int:risk_pk>/close/", scoping.close_risk, name="close_risk"),
    path("memberships/<int:membership_pk>/join/", core.join, name="join"),
    path("invitations/<str:token>/", core.invitation, name="invitation"),
]
