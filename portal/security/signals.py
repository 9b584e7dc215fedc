"""Login signal handlers: count failures for the lockout, clear them on success."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import lockout


@receiver(user_login_failed, dispatch_uid="portal_security_login_failed")
def count_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    lockout.record_failure(username)


@receiver(user_logged_in, dispatch_uid="portal_security_logged_in")
def clear_failed_logins(sender, request, user, **kwargs):
    lockout.clear(user.get_username())
