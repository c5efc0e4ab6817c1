from django.apps import AppConfig


class DiffusionConfig(AppConfig):
    name = "diffusion"

    def ready(self):
        # Registers stage 4's tab, the peers' sharing steps and the gate check.
        from . import road_map  # noqa: F401
