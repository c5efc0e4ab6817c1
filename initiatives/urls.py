from django.urls import path

from .views import core, foundation, history, scoping

app_name = "initiatives"

EVENT = "initiatives/<int:pk>/events/<int:event_pk>/"
foundation_urls = [
    path("initiatives/<int:pk>/events/", foundation.event_list, name="events"),
    path("initiatives/<int:pk>/events/new/", foundation.create_event, name="create_event"),
    path(EVENT, foundation.event_detail, name="event"),
    path(f"{EVENT}edit/", foundation.edit_event, name="edit_event"),
    path(f"{EVENT}calendar.ics", foundation.event_calendar, name="event_calendar"),
    path(f"{EVENT}attendance/", foundation.attendance, name="attendance"),
    path(f"{EVENT}agenda/new/", foundation.add_agenda_item, name="add_agenda_item"),
    path(
        f"{EVENT}agenda/<int:item_pk>/edit/",
        foundation.edit_agenda_item,
        name="edit_agenda_item",
    ),
    path(
        f"{EVENT}agenda/<int:item_pk>/remove/",
        foundation.remove_agenda_item,
        name="remove_agenda_item",
    ),
    path("initiatives/<int:pk>/contracts/", foundation.contract_list, name="contracts"),
    path(
        "initiatives/<int:pk>/contracts/text/",
        foundation.contract_template,
        name="contract_template",
    ),
    path("initiatives/<int:pk>/my-contract/", foundation.contract, name="contract"),
    path(
        "initiatives/<int:pk>/contracts/to-countersign/",
        foundation.contracts_to_countersign,
        name="contracts_to_countersign",
    ),
    path(
        "initiatives/<int:pk>/contracts/<int:contract_pk>/countersign/",
        foundation.countersign,
        name="countersign",
    ),
    path("initiatives/<int:pk>/engagement/", foundation.engagement, name="engagement"),
    path(
        "initiatives/<int:pk>/engagement/new/",
        foundation.add_engagement_option,
        name="add_engagement_option",
    ),
    path(
        "initiatives/<int:pk>/engagement/<int:option_pk>/edit/",
        foundation.edit_engagement_option,
        name="edit_engagement_option",
    ),
    path(
        "initiatives/<int:pk>/engagement/<int:option_pk>/sign-up/",
        foundation.sign_up,
        name="sign_up",
    ),
    path(
        "initiatives/<int:pk>/engagement/<int:option_pk>/withdraw/",
        foundation.withdraw_sign_up,
        name="withdraw_sign_up",
    ),
]

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
    path("initiatives/<int:pk>/history/", history.history, name="history"),
    path("initiatives/<int:pk>/history.csv", history.history_csv, name="history_csv"),
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
    *foundation_urls,
]
