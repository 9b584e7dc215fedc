from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "安全加固"

    def ready(self):
        # Connect the login-failure signal handlers (lockout bookkeeping).
        from . import signals  # noqa: F401
