from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "安全加固"

    def ready(self):
        from django.core import checks

        # Connect the login-failure signal handlers (lockout bookkeeping).
        from . import signals  # noqa: F401

        # A RATE_LIMITS rate that does not parse fails at start-up, not per request.
        from .ratelimit import check_rate_limits

        checks.register(check_rate_limits)

        # Wagtail's list exports (?export=csv/xlsx) write cells raw; make every
        # one of them formula-injection safe (see portal/security/spreadsheets.py).
        from .spreadsheets import patch_wagtail_exports

        patch_wagtail_exports()
