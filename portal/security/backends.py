"""Authentication backend that refuses locked accounts.

The check sits in the backend (not only in the login form) so that every path
that authenticates with a password — the Wagtail login, Django's auth views,
anything added later — honours the lock.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and lockout.locked_for(username):
            # PermissionDenied stops Django trying other backends.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
