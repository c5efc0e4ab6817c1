from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/new/", views.create_initiative, name="create"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/edit/", views.edit_initiative, name="edit"),
    path("initiatives/<int:pk>/road-map/", views.road_map, name="road_map"),
    path("initiatives/<int:pk>/people/", views.people, name="people"),
    path("initiatives/<int:pk>/people/invite/", views.invite, name="invite"),
    path(
        "initiatives/<int:pk>/people/<int:membership_pk>/withdraw/",
        views.withdraw_member,
        name="withdraw",
    ),
    path("memberships/<int:membership_pk>/join/", views.join, name="join"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
