from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"

    def ready(self):
        # Registers stage 2's tab, the peers' "log a contact" step and the gate check.
        from . import road_map  # noqa: F401
