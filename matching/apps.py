from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from . import checks, steps  # noqa: F401  register the stage-gate check and next steps
