from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        # Importing these modules registers their stage-gate checks and next steps.
        from . import next_steps, open_items  # noqa: F401
