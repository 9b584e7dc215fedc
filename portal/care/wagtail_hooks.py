"""Admin wiring for the care registers: menu, viewsets, audit-log labels, dashboard panels."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_views import VIEW_RECORD_ACTION
from .panels import add_care_panels
from .viewsets import CareViewSetGroup

register_snippet(CareViewSetGroup)


@hooks.register("register_log_actions")
def register_care_log_actions(actions):
    actions.register_action(VIEW_RECORD_ACTION, "查看关爱对象详情", "查看了关爱对象详情")


@hooks.register("construct_homepage_panels")
def care_dashboard_panels(request, panels):
    add_care_panels(request, panels)
