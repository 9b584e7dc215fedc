"""The Wagtail login form with a clear Chinese message for a locked account."""

from django import forms
from wagtail.admin.forms.auth import LoginForm

from . import lockout


class LockoutLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label, so Django shows "Password" in English.
        self.fields["password"].label = "密码"

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and lockout.locked_for(username):
            raise self._locked_error(username)
        try:
            return super().clean()
        except forms.ValidationError:
            # This failure may be the one that locked the account: say so.
            if username and lockout.locked_for(username):
                raise self._locked_error(username) from None
            raise

    def _locked_error(self, username):
        return forms.ValidationError(
            lockout.lockout_message(lockout.locked_for(username)), code="locked"
        )
