"""Admin dashboard panels about care visits, limited to the user's regions.

The overdue panel is the town's view of the same rule the worker's list and the
warning emails use (``services.due_states``).
"""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from . import services

OVERDUE_PANEL_SIZE = 8


def user_may_see_care(user):
    return user.has_perm("care.view_careobject")


class _CarePanel(Component):
    def render_html(self, parent_context=None):
        if not user_may_see_care(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)


class OverdueVisitsPanel(_CarePanel):
    name = "care_overdue_visits"
    order = 125
    template_name = "care/admin/panels/overdue.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        user = parent_context["request"].user
        objects = services.with_last_visit(services.visible_care_objects(user).filter(active=True))
        overdue = [item for item in services.due_states(objects, today) if item[1].overdue]
        rows = [
            {"care_object": c, "state": s, "days": s.days_overdue(today)}
            for c, s in overdue[:OVERDUE_PANEL_SIZE]
        ]
        return {
            "overdue_count": len(overdue),
            "twice_count": sum(1 for _, s in overdue if s.overdue_twice),
            "rows": rows,
            "today": today,
        }


def add_care_panels(request, panels):
    """The ``construct_homepage_panels`` hook body."""
    if user_may_see_care(request.user):
        panels.append(OverdueVisitsPanel())
