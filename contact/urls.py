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
