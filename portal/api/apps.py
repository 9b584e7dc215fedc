from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portal.api"
    label = "portal_api"
    verbose_name = "开放接口"

    def ready(self):
        # Register the OpenAPI description of the token authentication.
        from . import authentication  # noqa: F401
