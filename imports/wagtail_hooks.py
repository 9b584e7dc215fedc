"""Admin wiring: the 数据导入 menu item, the admin routes, the audit-log label for exports."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .exporting import EXPORT_FULL_ID_ACTION
from .importers import importable_kinds
from .importers.base import OUT_OF_SCOPE_ACTION


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("imports/", include(admin_urls, namespace="imports"))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(importable_kinds(request.user))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("数据导入", reverse("imports:index"), icon_name="upload", order=900)


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action(
        EXPORT_FULL_ID_ACTION, "导出含完整身份证号的志愿者名单", "导出了含完整身份证号的志愿者名单"
    )
    actions.register_action(
        OUT_OF_SCOPE_ACTION,
        "导入辖区以外的记录（已拒绝）",
        "试图通过导入修改辖区以外的记录，已拒绝",
    )
