"""Signing in and out of the field workspace with the admin's accounts and rules.

The form is the admin's (``portal.security.forms.LockoutLoginForm``: five failed
logins lock the account, the Chinese lock message), the authentication backend
refuses locked accounts whatever the form, and a POST here counts against the
same per-address ``login`` rate-limit bucket as ``/admin/login/`` — alternating
between the two doors gains an attacker nothing.
"""

import logging

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from portal.security import ratelimit
from portal.security.forms import LockoutLoginForm

logger = logging.getLogger(__name__)


class FieldLoginForm(LockoutLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("remember", None)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update(
            {"placeholder": "请输入用户名", "autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update(
            {"placeholder": "请输入密码", "autocomplete": "current-password"}
        )
        self.error_messages["invalid_login"] = "用户名或密码不正确，请重新输入"


class FieldLoginView(auth_views.LoginView):
    form_class = FieldLoginForm
    template_name = "field/login.html"
    next_page = reverse_lazy("field:home")

    def post(self, request, *args, **kwargs):
        rate = ratelimit.rate_for("login")
        if rate is not None:
            try:
                wait = ratelimit.hit("login", ratelimit.client_address(request), rate)
            except Exception:  # noqa: BLE001 - fail open, as the middleware does
                logger.exception("限流计数不可用，本次登录不限流")
                wait = 0
            if wait:
                return ratelimit.too_many_requests(request, wait)
        return super().post(request, *args, **kwargs)


class FieldLogoutView(auth_views.LogoutView):
    """POST only (Django 5): a cross-site link cannot sign a worker out."""

    next_page = reverse_lazy("field:login")
