from django.urls import path

from .views import peer, published, runs

app_name = "matching"

base = "initiatives/<int:pk>/matching/"

urlpatterns = [
    path(base, runs.index, name="index"),
    path(f"{base}runs/new/", runs.start, name="start"),
    path(f"{base}runs/<int:run_pk>/", runs.run_detail, name="run"),
    path(f"{base}runs/<int:run_pk>/rerun/", runs.rerun, name="rerun"),
    path(f"{base}runs/<int:run_pk>/publish/", runs.publish, name="publish"),
    path(f"{base}runs/<int:run_pk>/matches.csv", published.export_csv, name="export_csv"),
    path(f"{base}runs/<int:run_pk>/matches.xlsx", published.export_xlsx, name="export_xlsx"),
    path(f"{base}matches/<int:match_pk>/lock/", runs.lock, name="lock"),
    path(f"{base}matches/<int:match_pk>/unlock/", runs.unlock, name="unlock"),
    path(f"{base}matches/<int:match_pk>/end/", published.end_match, name="end_match"),
    path(f"{base}members/<int:member_pk>/move/", runs.move_member, name="move_member"),
    path(f"{base}members/<int:member_pk>/remove/", runs.remove_member, name="remove_member"),
    path(f"{base}published/", published.published, name="published"),
    path("initiatives/<int:pk>/my-match/", peer.my_match, name="my_match"),
    path(
        "initiatives/<int:pk>/my-match/check-ins/<int:check_in_pk>/", peer.check_in, name="check_in"
    ),
]
