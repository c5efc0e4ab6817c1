from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from . import road_map  # noqa: F401  (registers matching's checks, steps and tabs)
