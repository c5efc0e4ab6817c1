from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader: the top layer, composing each app's demo data (`manage.py load_demo`)."""

    name = "demo"
