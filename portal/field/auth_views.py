"""Signing in and out of the field workspace with the admin's accounts and rules.

The form is the admin's (``portal.security.forms.LockoutLoginForm``: five failed
logins lock the account, the Chinese lock message), the authentication backend
refuses locked accounts whatever the form, and a POST here counts against the
same per-address ``login`` rate-limit bucket as ``/admin/login/`` — alternating
between the two doors gains an attacker nothing.
"""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from portal.security import ratelimit
from portal.security.forms import LockoutLoginForm


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
        wait = ratelimit.count_hit("login", ratelimit.client_address(request))
        if wait:
            return ratelimit.too_many_requests(request, wait)
        return super().post(request, *args, **kwargs)


class FieldLogoutView(auth_views.LogoutView):
    """POST only (Django 5): a cross-site link cannot sign a worker out."""

    next_page = reverse_lazy("field:login")
