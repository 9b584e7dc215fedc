"""DRF authentication with the portal's hashed API tokens.

Header: ``Authorization: Bearer wagtail_…`` (``Token`` is accepted too). The
tokens are Wagtail's own (see ``tokens``). Requests authenticated this way carry
no cookie, so they are not subject to CSRF checks.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .tokens import user_for_token

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Authorization 请求头格式不正确，应为“Bearer <令牌>”。"
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        user = user_for_token(raw)
        if user is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已被吊销。")
        return (user, raw)

    def authenticate_header(self, request):
        return "Bearer"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "工作人员 API 令牌（wagtail_…），在管理后台“设置 → API tokens”创建。",
        }
