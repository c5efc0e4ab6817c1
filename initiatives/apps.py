from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Importing these modules registers the core's checks, steps and tabs, in the
        # order the road map lists open items.
        from . import road_map  # noqa: F401, I001
        from . import scoping  # noqa: F401
