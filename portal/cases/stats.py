"""Case statistics for dashboards and the public data API.

Everything here is computed by the database with aggregate queries (``Count``
with ``filter=``), never by looping over rows in Python, so the same functions
serve a village of 500 cases and a county archive of a million.

Callers pass an already scoped queryset (``restrict_to_scope`` for staff, the
public cases for the API); these functions never widen it.

Definitions (all counted over the cases of ``qs`` reported in the period):

* 办结率 (closure rate) = cases whose status is 办结, 回访 or 评价
  ÷ all cases.
* 化解率 (mediation success rate) = dispute cases (category ``is_dispute``)
  closed-or-later with ``mediated`` True ÷ dispute cases closed-or-later.
  A closed dispute case whose outcome was never recorded counts as not mediated.
* 满意率 (satisfaction rate) = rated cases whose satisfaction is 满意 or
  基本满意 ÷ cases with any satisfaction value (the rated ones).
* 超期 (overdue) = cases past their deadline and not yet closed, *as of now* —
  the period only selects which cases are looked at.

A rate whose denominator is 0 is ``None`` (no data), not 0: a village with no
disputes has not failed to mediate any. Rates are floats in [0, 1] rounded to
four decimals.
"""

import calendar
import datetime
import re

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Case
from .queries import overdue_q

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(month):
    """``(year, month)`` from a ``date``/``datetime``, a ``(y, m)`` pair or ``"YYYY-MM"``.

    Raises ``ValueError`` with a Chinese message for anything else.
    """
    if isinstance(month, datetime.date):
        return month.year, month.month
    if isinstance(month, tuple) and len(month) == 2:
        year, number = int(month[0]), int(month[1])
    else:
        match = _MONTH_RE.match(str(month).strip())
        if not match:
            raise ValueError(f"月份“{month}”格式不正确，应为 YYYY-MM，如 2024-03")
        year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 12:
        raise ValueError(f"月份“{month}”格式不正确，月份应在1到12之间")
    return year, number


def month_bounds(year, month):
    """The aware local-time ``[start, end)`` of a calendar month."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    days = calendar.monthrange(year, month)[1]
    end = timezone.make_aware(datetime.datetime(year, month, days)) + datetime.timedelta(days=1)
    return start, end


def in_month(qs, month):
    """Cases of ``qs`` reported in ``month`` (see ``parse_month``), local time."""
    start, end = month_bounds(*parse_month(month))
    return qs.filter(reported_at__gte=start, reported_at__lt=end)


def _rate(numerator, denominator):
    if not denominator:
        return None
    return round(numerator / denominator, 4)


def case_statistics(qs, *, month=None, now=None):
    """Counts and rates over ``qs`` (restricted to cases reported in ``month`` if given).

    Returns a dict::

        total, by_status {status value: n}, by_category [{id, name, count}],
        closed, closure_rate,
        dispute_closed, mediated, mediation_rate,
        rated, satisfied, basically_satisfied, unsatisfied, satisfaction_rate,
        overdue, month ("YYYY-MM" or None)

    The rates are defined in this module's docstring. Two queries: one
    aggregate for the counts, one grouped count for the categories.
    """
    month_label = None
    if month is not None:
        year, number = parse_month(month)
        qs = in_month(qs, (year, number))
        month_label = f"{year:04d}-{number:02d}"
    closed_q = Q(status__in=Case.CLOSED_STATUSES)
    dispute_closed_q = closed_q & Q(category__is_dispute=True)
    satisfaction = Case.Satisfaction
    aggregates = {
        "total": Count("id"),
        "closed": Count("id", filter=closed_q),
        "dispute_closed": Count("id", filter=dispute_closed_q),
        "mediated": Count("id", filter=dispute_closed_q & Q(mediated=True)),
        "rated": Count("id", filter=Q(satisfaction__in=satisfaction.values)),
        "satisfied": Count("id", filter=Q(satisfaction=satisfaction.SATISFIED)),
        "basically_satisfied": Count("id", filter=Q(satisfaction=satisfaction.BASIC)),
        "unsatisfied": Count("id", filter=Q(satisfaction=satisfaction.UNSATISFIED)),
        "overdue": Count("id", filter=overdue_q(now)),
    }
    for status in Case.Status:
        aggregates[f"status_{status.value}"] = Count("id", filter=Q(status=status))
    row = qs.order_by().aggregate(**aggregates)

    by_category = [
        {"id": item["category_id"], "name": item["category__name"], "count": item["count"]}
        for item in qs.order_by()
        .values("category_id", "category__name")
        .annotate(count=Count("id"))
        .order_by("-count", "category__name")
    ]
    return {
        "month": month_label,
        "total": row["total"],
        "by_status": {status.value: row[f"status_{status.value}"] for status in Case.Status},
        "by_category": by_category,
        "closed": row["closed"],
        "closure_rate": _rate(row["closed"], row["total"]),
        "dispute_closed": row["dispute_closed"],
        "mediated": row["mediated"],
        "mediation_rate": _rate(row["mediated"], row["dispute_closed"]),
        "rated": row["rated"],
        "satisfied": row["satisfied"],
        "basically_satisfied": row["basically_satisfied"],
        "unsatisfied": row["unsatisfied"],
        "satisfaction_rate": _rate(row["satisfied"] + row["basically_satisfied"], row["rated"]),
        "overdue": row["overdue"],
    }


def last_months(months, today=None):
    """The last ``months`` calendar months up to and including ``today``'s, oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    found = []
    for _ in range(months):
        found.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(found))


def monthly_counts(qs, months=12, *, today=None):
    """Cases reported per village and month over the last ``months`` months (dense).

    Returns ``{"months": ["YYYY-MM", …], "villages": [{"id", "name", "counts": […],
    "closed": […]}, …]}`` with one number per month in ``counts`` (reported) and
    ``closed`` (of those, closed-or-later now), zeros included, villages by name.
    One grouped query.
    """
    if months < 1:
        raise ValueError("月数必须至少为1")
    keys = last_months(months, today)
    start, _ = month_bounds(*keys[0])
    rows = (
        qs.order_by()
        .filter(reported_at__gte=start)
        .annotate(month=TruncMonth("reported_at"))
        .values("village_id", "village__name", "month")
        .annotate(
            count=Count("id"),
            closed=Count("id", filter=Q(status__in=Case.CLOSED_STATUSES)),
        )
    )
    position = {key: index for index, key in enumerate(keys)}
    villages = {}
    for row in rows:
        month = row["month"]
        if timezone.is_aware(month):
            month = timezone.localtime(month)
        index = position.get((month.year, month.month))
        if index is None:  # reported in the future: not part of "the last N months"
            continue
        entry = villages.setdefault(
            row["village_id"],
            {
                "id": row["village_id"],
                "name": row["village__name"],
                "counts": [0] * months,
                "closed": [0] * months,
            },
        )
        entry["counts"][index] += row["count"]
        entry["closed"][index] += row["closed"]
    return {
        "months": [f"{year:04d}-{month:02d}" for year, month in keys],
        "villages": sorted(villages.values(), key=lambda v: (v["name"], v["id"])),
    }
