from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self):
        # Registers stage 3's tab, the peers' "set your objectives" step, the gate check
        # and the indicators.
        from . import road_map  # noqa: F401
