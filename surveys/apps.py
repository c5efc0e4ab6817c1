from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        # Importing these registers the survey's next steps, gate checks and audit labels.
        from . import road_map, services  # noqa: F401
