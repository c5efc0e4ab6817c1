from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Importing these modules registers their stage-gate checks, in the order the
        # road map lists open items.
        from . import open_items  # noqa: F401, I001
        from . import foundation_checks, scoping  # noqa: F401
