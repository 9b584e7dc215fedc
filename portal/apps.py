from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = "基层治理门户"

    def ready(self):
        from portal import admin_display

        admin_display.install()
