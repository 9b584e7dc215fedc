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
    if request.user.has_perm("care.view_gridrankingweights"):
        panels.append(GridRankingPanel())


class GridRankingPanel(Component):
    """This month's 星级网格 scores of the user's (first) town, as the figures page draws them."""

    name = "care_grid_ranking"
    order = 126
    template_name = "care/admin/panels/ranking.html"

    def get_context_data(self, parent_context):
        from .figures import grid_ranking
        from .figures_views import score_chart, towns_in_scope

        today = timezone.localdate()
        town = towns_in_scope(parent_context["request"].user).first()
        if town is None:
            return {"town": None}
        ranked = grid_ranking(town, today.year, today.month, today)
        label = f"{town.name}{today.year}年{today.month}月"
        return {"town": town, "ranked": ranked, "chart": score_chart(ranked, label), "label": label}

    @property
    def media(self):
        from django.forms import Media

        return Media(css={"all": ["cases/admin-dashboard.css"]})
