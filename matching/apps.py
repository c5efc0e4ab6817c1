from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from . import next_steps  # noqa: F401  (registers the survey step)
