from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        # Registers matching's checks, steps and tabs, and the pre-event survey's hooks.
        from . import profiles, road_map  # noqa: F401
