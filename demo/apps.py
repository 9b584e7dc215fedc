from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader and its content (management commands only, no models)."""

    name = "demo"
    verbose_name = "演示数据"
