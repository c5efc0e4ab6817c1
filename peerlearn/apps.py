from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerlearnConfig(AppConfig):
    name = "peerlearn"
    verbose_name = _("People and organisations")
