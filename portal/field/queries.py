"""What the field pages list: the user's grids and cases, cut to their regions.

Scope is the admin's (``portal.snippets.scope``): a worker assigned to a
village sees that village's grids and cases, a town's staff the town's. The
lists order the work the way a worker does it: overdue first, then what was
dispatched to them, then by deadline.
"""

from django.db.models import BooleanField, Count, Q, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone

from portal.cases.models import Case
from portal.cases.panels import scoped_cases
from portal.cases.queries import OVERDUE_FLAG, annotate_overdue

from .forms import scoped_grids

OPEN = ~Q(status__in=Case.CLOSED_STATUSES)
# Closed but not yet visited or rated: the 回访/评价 steps a worker often does.
FOLLOW_UP = Q(status__in=[Case.Status.CLOSED, Case.Status.VISITED])

TABS = {
    "mine": ("派给我的", "分拨或交给我本人办理、我上报的未办结案件"),
    "open": ("辖区未办结", "我辖区网格内所有未办结的案件"),
    "followup": ("待回访评价", "已办结、待回访或评价的案件"),
}


def grids_with_counts(user, now=None):
    """The user's grids, each with ``open_cases`` and ``overdue_cases``."""
    now = now or timezone.now()
    open_q = ~Q(cases__status__in=Case.CLOSED_STATUSES)
    return scoped_grids(user).annotate(
        open_cases=Count("cases", filter=open_q),
        overdue_cases=Count("cases", filter=open_q & Q(cases__deadline__lt=now)),
    )


def field_cases(user, tab="mine", grid=None, now=None):
    """Cases of ``tab`` (see ``TABS``) in the user's scope, overdue first."""
    qs = scoped_cases(user)
    if tab == "followup":
        qs = qs.filter(FOLLOW_UP)
    else:
        qs = qs.filter(OPEN)
        if tab == "mine":
            qs = qs.filter(Q(handler=user) | Q(discoverer=user))
    if grid is not None:
        qs = qs.filter(grid=grid)
    qs = annotate_overdue(qs, now).annotate(
        mine=SqlCase(
            When(handler=user, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
    return qs.select_related("category", "grid").order_by(
        f"-{OVERDUE_FLAG}", "-mine", "deadline", "id"
    )
