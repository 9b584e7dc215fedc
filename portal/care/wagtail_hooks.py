"""Admin wiring for the care registers: menu, viewsets, audit-log labels, dashboard panels."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .admin_views import VIEW_RECORD_ACTION
from .figures_views import FIGURES_PERMISSION, FiguresView
from .panels import add_care_panels
from .viewsets import CareViewSetGroup

register_snippet(CareViewSetGroup)


@hooks.register("register_log_actions")
def register_care_log_actions(actions):
    actions.register_action(VIEW_RECORD_ACTION, "查看关爱对象详情", "查看了关爱对象详情")


@hooks.register("construct_homepage_panels")
def care_dashboard_panels(request, panels):
    add_care_panels(request, panels)


@hooks.register("register_admin_urls")
def care_admin_urls():
    return [path("care/figures/", FiguresView.as_view(), name="care_figures")]


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(FIGURES_PERMISSION)


@hooks.register("register_admin_menu_item")
def care_figures_menu_item():
    return FiguresMenuItem("星级网格", reverse("care_figures"), icon_name="pick", order=216)
