"""Admin dashboard panels about cases, each limited to the user's regions.

Wagtail renders ``Component`` objects that the ``construct_homepage_panels``
hook adds; the numbers come from ``portal.cases.stats`` (the same functions the
public data API uses) and the charts are server-rendered SVG (``charts``).
"""

from django.forms import Media
from django.utils import timezone
from wagtail.admin.ui.components import Component

from portal.snippets.scope import restrict_to_scope

from .charts import horizontal_bars
from .models import Case
from .queries import overdue
from .stats import case_statistics

OVERDUE_PANEL_SIZE = 8


def user_may_see_cases(user):
    return user.has_perm("cases.view_case") or user.has_perm("cases.change_case")


def scoped_cases(user):
    return restrict_to_scope(Case.objects.all(), user, "village")


def percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


class _CasePanel(Component):
    """Shown only to users who may see cases."""

    def render_html(self, parent_context=None):
        request = parent_context["request"]
        if not user_may_see_cases(request.user):
            return ""
        return super().render_html(parent_context)

    @property
    def media(self):
        return Media(css={"all": ["cases/admin-dashboard.css"]})


class CasesByStatusPanel(_CasePanel):
    name = "cases_by_status"
    order = 120
    template_name = "cases/admin/panels/by_status.html"

    def get_context_data(self, parent_context):
        stats = case_statistics(scoped_cases(parent_context["request"].user))
        chart = horizontal_bars(
            [(status.label, stats["by_status"][status.value]) for status in Case.Status],
            title="各状态案件数",
        )
        return {"stats": stats, "chart": chart}


class CaseRatesPanel(_CasePanel):
    name = "case_rates"
    order = 121
    template_name = "cases/admin/panels/rates.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        stats = case_statistics(scoped_cases(parent_context["request"].user), month=today)
        rates = [
            ("办结率", stats["closure_rate"], f"{stats['closed']}/{stats['total']}"),
            ("化解率", stats["mediation_rate"], f"{stats['mediated']}/{stats['dispute_closed']}"),
            (
                "满意率",
                stats["satisfaction_rate"],
                f"{stats['satisfied'] + stats['basically_satisfied']}/{stats['rated']}",
            ),
        ]
        chart = horizontal_bars(
            [(label, rate or 0, f"{percent(rate)}（{ratio}）") for label, rate, ratio in rates],
            title=f"{today.year}年{today.month}月办理成效",
            maximum=1,
            value_width=120,
        )
        return {"stats": stats, "chart": chart, "month": today}


class OverdueCasesPanel(_CasePanel):
    name = "overdue_cases"
    order = 122
    template_name = "cases/admin/panels/overdue.html"

    def get_context_data(self, parent_context):
        qs = overdue(scoped_cases(parent_context["request"].user))
        return {
            "overdue_count": qs.count(),
            "cases": qs.select_related("category", "village").order_by("deadline")[
                :OVERDUE_PANEL_SIZE
            ],
            "now": timezone.now(),
        }


def add_case_panels(request, panels):
    """The ``construct_homepage_panels`` hook body."""
    if user_may_see_cases(request.user):
        panels.extend([CasesByStatusPanel(), CaseRatesPanel(), OverdueCasesPanel()])
