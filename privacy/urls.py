from django.urls import path

from . import views

app_name = "privacy"

base = "initiatives/<int:pk>/personal-data/"

urlpatterns = [
    path("erasure/", views.erasure, name="erasure"),
    path(base, views.initiative, name="initiative"),
    path(f"{base}close/", views.close, name="close"),
    path(f"{base}erasures/<int:confirmation_pk>/", views.confirm_erasure, name="confirm_erasure"),
]
