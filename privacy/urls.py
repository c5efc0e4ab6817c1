from django.urls import path

from . import views

app_name = "privacy"

base = "initiatives/<int:pk>/personal-data/"

urlpatterns = [
    path("privacy/notice/", views.notice, name="notice"),
    path("privacy/notice/accept/<int:organisation_pk>/", views.notice_accept, name="notice_accept"),
    path("privacy/notice/edit/", views.notice_edit, name="notice_edit"),
    path("privacy/your-data/", views.your_data, name="your_data"),
    path("privacy/consents/<str:kind>/give/", views.consent_give, name="consent_give"),
    path("privacy/consents/<str:kind>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("privacy/archive/", views.archive_request, name="archive_request"),
    path("privacy/archive/<int:archive_pk>/", views.archive_download, name="archive_download"),
    path("initiatives/<int:pk>/correction/", views.correction_new, name="correction_new"),
    path("initiatives/<int:pk>/corrections/", views.corrections, name="corrections"),
    path(
        "initiatives/<int:pk>/corrections/<int:correction_pk>/",
        views.correction_answer,
        name="correction_answer",
    ),
    path("erasure/", views.erasure, name="erasure"),
    path(base, views.initiative, name="initiative"),
    path(f"{base}close/", views.close, name="close"),
    path(f"{base}erasures/<int:confirmation_pk>/", views.confirm_erasure, name="confirm_erasure"),
]
