from django.urls import path

from .views import core, peer_import

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
    path("initiatives/<int:pk>/people/import/", peer_import.upload, name="import_upload"),
    path(
        "initiatives/<int:pk>/people/import/<int:import_pk>/",
        peer_import.preview,
        name="import_preview",
    ),
    path(
        "initiatives/<int:pk>/people/import/<int:import_pk>/confirm/",
        peer_import.confirm,
        name="import_confirm",
    ),
    path("memberships/<int:membership_pk>/join/", core.join, name="join"),
    path("invitations/<str:token>/", core.invitation, name="invitation"),
]
