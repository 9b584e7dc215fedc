"""The public's view of care visits: counts per village and month, never a person.

Only the number of visits done and rounds patrolled in each village are shown —
no names, kinds, addresses, and not even how many people a village looks
after (in a small village that alone could point at someone).
"""

from django.shortcuts import render
from django.utils import timezone

from portal.cases.stats import parse_month
from portal.snippets.models import Region

from .figures import FiguresError, village_visit_counts


def _effective_villages(today):
    villages = Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent")
    return [
        v
        for v in villages.order_by("parent__sort_order", "parent__name", "sort_order", "name")
        if v.is_effective(today)
    ]


def care_figures(request):
    today = timezone.localdate()
    raw = request.GET.get("month", "").strip()
    problem = None
    try:
        year, month = parse_month(raw) if raw else (today.year, today.month)
        counts = village_visit_counts(year, month, today, _effective_villages(today))
    except (ValueError, FiguresError) as exc:
        problem = str(exc)
        year, month = today.year, today.month
        counts = village_visit_counts(year, month, today, _effective_villages(today))
    towns = {}
    for village, visits, rounds in counts:
        towns.setdefault(village.parent, []).append(
            {"village": village, "visits": visits, "rounds": rounds}
        )
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    context = {
        "towns": towns,
        "year": year,
        "month": month,
        "problem": problem,
        "total_visits": sum(v for _, v, _ in counts),
        "total_rounds": sum(r for _, _, r in counts),
        "previous": f"{previous[0]:04d}-{previous[1]:02d}",
        "is_current": (year, month) == (today.year, today.month),
    }
    return render(request, "care/public/figures.html", context, status=400 if problem else 200)
