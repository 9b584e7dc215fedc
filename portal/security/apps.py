from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "安全加固"

    def ready(self):
        # Connect the login-failure signal handlers (lockout bookkeeping).
        from . import signals  # noqa: F401

        # Wagtail's list exports (?export=csv/xlsx) write cells raw; make every
        # one of them formula-injection safe (see portal/security/spreadsheets.py).
        from .spreadsheets import patch_wagtail_exports

        patch_wagtail_exports()
