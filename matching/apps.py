from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from . import steps  # noqa: F401  registers the peer's next steps about matches
