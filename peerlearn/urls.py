from django.contrib import admin
from django.urls import include, path

from initiatives.views.core import home

from . import views

urlpatterns = [
    path("", home, name="home"),
    path("organisation/start/", views.start_organisation, name="start_organisation"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("email/unsubscribe/<str:unsubscribe_token>/", views.unsubscribe, name="unsubscribe"),
    path("email/preferences/", views.email_preferences, name="email_preferences"),
    path("email/preferences/subscribe/", views.email_subscribe, name="email_subscribe"),
    path("email/preferences/unsubscribe/", views.email_unsubscribe, name="email_unsubscribe"),
    path("account/profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("initiatives.urls")),
    path("", include("privacy.urls")),
    path("", include("surveys.urls")),
    path("", include("matching.urls")),
    path("", include("contact.urls")),
    path("", include("evaluation.urls")),
    path("", include("diffusion.urls")),
]
