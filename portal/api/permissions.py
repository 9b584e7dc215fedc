"""Who may use the staff API."""

from rest_framework.permissions import BasePermission

from .tokens import may_use_api


class IsPortalStaff(BasePermission):
    """Authenticated (token or session) staff who may use the Wagtail admin."""

    message = "需要工作人员身份：请在请求头中提供有效的 API 令牌（Authorization: Bearer …）。"

    def has_permission(self, request, view):
        return may_use_api(request.user)


class CanViewCases(IsPortalStaff):
    message = "你的账号没有查看案件的权限。"

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm("cases.view_case")
