from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from . import checks, next_steps  # noqa: F401  (register the survey's step and check)
