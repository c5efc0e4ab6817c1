from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from . import checks  # noqa: F401  registers the stage-gate checks
        from . import scoping  # noqa: F401  registers the scoping and risk checks
