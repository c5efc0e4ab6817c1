from django.urls import path

from .views import apart, peer, peer_import, published, runs

app_name = "matching"

base = "initiatives/<int:pk>/matching/"
peer_list = "initiatives/<int:pk>/people/import/"

urlpatterns = [
    path(peer_list, peer_import.upload, name="import_upload"),
    path(f"{peer_list}<int:import_pk>/", peer_import.preview, name="import_preview"),
    path(f"{peer_list}<int:import_pk>/confirm/", peer_import.confirm, name="import_confirm"),
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
    path(f"{base}members/<int:member_pk>/swap/", runs.swap_member, name="swap_member"),
    path(f"{base}published/", published.published, name="published"),
    path(f"{base}apart/", apart.kept_apart, name="kept_apart"),
    path(f"{base}apart/<int:apart_pk>/remove/", apart.remove_kept_apart, name="remove_kept_apart"),
    path("initiatives/<int:pk>/my-match/", peer.my_match, name="my_match"),
]
