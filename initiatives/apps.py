from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # Importing these modules registers their stage-gate checks and next steps.
        from . import checks, foundation_checks, scoping  # noqa: F401
