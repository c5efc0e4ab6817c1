from django.urls import path

from . import views

app_name = "contact"

base = "initiatives/<int:pk>/contacts/"

urlpatterns = [
    path(base, views.index, name="index"),
    path(f"{base}contacts.csv", views.export_csv, name="export_csv"),
    path(f"{base}contacts.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{base}group/", views.log_group, name="log_group"),
    path(f"{base}mine/", views.my_contacts, name="mine"),
    path(f"{base}log/", views.log_contact, name="log"),
    path(f"{base}<int:participant_pk>/confirm/", views.confirm, name="confirm"),
    path(f"{base}<int:participant_pk>/decline/", views.decline, name="decline"),
    # --- check-ins ---
    # The path matching used: emails already sent carry it.
    path(
        "initiatives/<int:pk>/my-match/check-ins/<int:check_in_pk>/",
        views.check_in,
        name="check_in",
    ),
    # --- histories ---
    path(f"{base}matches/<int:match_pk>/", views.match_history, name="match_history"),
    path(f"{base}peers/<int:membership_pk>/", views.peer_history, name="peer_history"),
    # --- logistics requests ---
    path(f"{base}requests/", views.logistics_index, name="logistics_index"),
    path(f"{base}requests/mine/", views.logistics_mine, name="logistics_mine"),
    path(f"{base}requests/new/", views.logistics_new, name="logistics_new"),
    path(f"{base}requests/<int:request_pk>/", views.logistics_request, name="logistics_request"),
]

# --- library ---

library = "initiatives/<int:pk>/library/"

urlpatterns += [
    path(library, views.library, name="library"),
    path(f"{library}add/", views.library_add, name="library_add"),
    path(f"{library}<int:document_pk>/", views.library_document, name="library_document"),
    path(f"{library}<int:document_pk>/download/", views.library_download, name="library_download"),
    path(f"{library}<int:document_pk>/edit/", views.library_edit, name="library_edit"),
    path(f"{library}<int:document_pk>/delete/", views.library_delete, name="library_delete"),
]

# --- momentum ---

urlpatterns += [
    path(f"{base}momentum/", views.momentum, name="momentum"),
    path(f"{base}momentum/chart.svg", views.momentum_chart, name="momentum_chart"),
    path(f"{base}momentum/<int:match_pk>/nudge/", views.nudge_now, name="nudge_now"),
    path(f"{base}momentum/<int:match_pk>/note/", views.match_note, name="match_note"),
    path(f"{base}help/<int:help_pk>/resolve/", views.resolve_help, name="resolve_help"),
    path(f"{base}help/", views.ask_help, name="ask_help"),
    path(f"{base}nudges/pause/", views.pause_nudges, name="pause_nudges"),
    path(f"{base}nudges/resume/", views.resume_nudges, name="resume_nudges"),
    path("contacts/nudge/<str:log_token>/log/", views.nudge_log, name="nudge_log"),
    path(
        "contacts/nudge/<str:in_touch_token>/in-touch/", views.nudge_in_touch, name="nudge_in_touch"
    ),
    path("contacts/nudge/<str:help_token>/help/", views.nudge_help, name="nudge_help"),
]


# --- exchanges ---

exchanges_base = "initiatives/<int:pk>/exchanges/"
post_base = f"{exchanges_base}posts/<int:post_pk>/"

urlpatterns += [
    path(exchanges_base, views.exchanges, name="exchanges"),
    path(f"{exchanges_base}board/", views.board, name="board"),
    path(f"{exchanges_base}board/post/", views.board_post, name="board_post"),
    path(f"{exchanges_base}matches/<int:match_pk>/", views.conversation, name="conversation"),
    path(
        f"{exchanges_base}matches/<int:match_pk>/post/",
        views.conversation_post,
        name="conversation_post",
    ),
    path(f"{exchanges_base}email/", views.post_emails, name="post_emails"),
    path(f"{post_base}reply/", views.reply, name="reply"),
    path(f"{post_base}edit/", views.edit_post, name="edit_post"),
    path(f"{post_base}delete/", views.delete_post, name="delete_post"),
    path(f"{post_base}hide/", views.hide_post, name="hide_post"),
    path(f"{post_base}file/", views.attachment, name="attachment"),
]
