"""Monthly figures per grid and per worker, and the town's 星级网格 ranking.

Definitions, over one calendar month (Asia/Shanghai) — up to today for the
current month, so that figures of a month in progress are not diluted by days
still to come:

* 巡查 (rounds): rounds started in the month; 巡查天数 the distinct days with one.
* 应访 (visits due), per active care object registered by the period's end:
  ``floor(days it was on the register in the period / cadence)``; the grid's
  figure is the sum. 已访 (done): visits in the period. 走访完成率: the sum over
  objects of ``min(done, due)`` ÷ the sum of due (an object visited five times
  when two were due counts two; None when nothing was due).
* 逾期 (overdue): active objects overdue on the period's last day, by the rule
  of ``services`` (last visit up to that day); 两期未访 those overdue twice.
* 上报事件 (cases reported): the grid's cases reported by grid workers in the
  period; for a worker, the cases they discovered.
* 按期办结 (closed on time): cases closed in the period with ``closed_at`` no
  later than the deadline; 按期办结率 = that ÷ cases closed in the period.
  For a worker, the cases they handled.
* 满意率: of the cases closed in the period that carry a rating, 满意 or
  基本满意 ÷ rated (as ``portal.cases.stats``).

The ranking (``grid_ranking``) turns five parts into a score out of 100 with
the town's ``GridRankingWeights`` (model defaults when it has none):

* 巡查 = 巡查天数 ÷ days in the period (daily rounds: 日巡);
* 走访 = 走访完成率;
* 上报 = the grid's cases reported ÷ the most reported by any grid of the town;
* 按期办结 = 按期办结率; 满意 = 满意率.

A part without data (no visit due, no case closed…) is left out and the
weights of the others carry the score; a grid with no data at all has no score
and ranks last. Stars: ``STAR_THRESHOLDS``.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.cases.models import Case
from portal.snippets.models import Grid, Region, StaffRegion
from portal.snippets.scope import restrict_to_scope

from .models import CareObject, GridRankingWeights, Round, Visit
from .services import cadence_for, cadence_table, state_from

# (minimum score, stars), highest first
STAR_THRESHOLDS = [(90, 5), (75, 4), (60, 3), (40, 2), (0, 1)]

PARTS = [
    ("rounds", "巡查"),
    ("visit_completion", "走访"),
    ("cases_reported", "上报"),
    ("closed_on_time", "按期办结"),
    ("satisfaction", "满意"),
]


class FiguresError(ValueError):
    """A month that cannot be reported on (Chinese message)."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    first: datetime.date
    last: datetime.date  # the month's last day, or today for the current month

    @property
    def days(self):
        return (self.last - self.first).days + 1

    @property
    def start(self):
        return timezone.make_aware(datetime.datetime.combine(self.first, datetime.time.min))

    @property
    def end(self):
        """Exclusive end: the start of the day after ``last``."""
        return self.start + datetime.timedelta(days=self.days)

    @property
    def label(self):
        return f"{self.year}年{self.month}月"


def period(year, month, today=None):
    today = today or timezone.localdate()
    if not 1 <= month <= 12:
        raise FiguresError("月份应在1到12之间")
    first = datetime.date(year, month, 1)
    if first > today:
        raise FiguresError(f"{year}年{month}月尚未开始，没有统计数据")
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return Period(year, month, first, min(last, today))


def _rate(numerator, denominator):
    return None if not denominator else numerator / denominator


@dataclass
class Figures:
    """The month's figures of one grid or one worker."""

    subject: object
    rounds: int = 0
    round_days: int = 0
    visits_done: int = 0
    visits_due: int = 0
    visits_on_cadence: int = 0
    visits_overdue: int = 0
    visits_overdue_twice: int = 0
    cases_reported: int = 0
    cases_closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def visit_completion(self):
        return _rate(self.visits_on_cadence, self.visits_due)

    @property
    def on_time_rate(self):
        return _rate(self.closed_on_time, self.cases_closed)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.rated)


# --- visits -----------------------------------------------------------------------


def _care_objects(queryset, p):
    end = p.end
    in_period = (
        Visit.objects.filter(
            care_object=OuterRef("pk"), visited_at__gte=p.start, visited_at__lt=end
        )
        .order_by()
        .values("care_object")
        .annotate(n=Count("id"))
        .values("n")
    )
    latest = (
        Visit.objects.filter(care_object=OuterRef("pk"), visited_at__lt=end)
        .order_by()
        .values("care_object")
        .annotate(m=Max("visited_at"))
        .values("m")
    )
    return list(
        queryset.filter(active=True, created_at__lt=end)
        .select_related("grid", "grid__region")
        .annotate(
            visits_in_period=Coalesce(Subquery(in_period, output_field=IntegerField()), Value(0)),
            last_visit_before=Subquery(latest),
        )
    )


def _add_visit_figures(figures, care_objects, p):
    table = cadence_table(c.grid.region.parent_id for c in care_objects)
    for c in care_objects:
        cadence = cadence_for(c.grid.region.parent_id, c.kind, table)
        on_register = max(p.first, timezone.localtime(c.created_at).date())
        due = ((p.last - on_register).days + 1) // cadence
        figures.visits_due += due
        figures.visits_on_cadence += min(c.visits_in_period, due)
        state = state_from(c.last_visit_before, c.created_at, cadence, p.last)
        figures.visits_overdue += state.overdue
        figures.visits_overdue_twice += state.overdue_twice


# --- cases ------------------------------------------------------------------------


def _closed_in(p):
    return Q(status__in=Case.CLOSED_STATUSES, closed_at__gte=p.start, closed_at__lt=p.end)


def _case_counts(cases, group, p):
    """{group value: counts} of reported (by grid workers), closed, on time, rated, satisfied."""
    reported = Q(reported_at__gte=p.start, reported_at__lt=p.end)
    closed = _closed_in(p)
    good = [Case.Satisfaction.SATISFIED, Case.Satisfaction.BASIC]
    rows = (
        cases.filter(reported | closed)
        .order_by()
        .values(group)
        .annotate(
            reported=Count("id", filter=reported),
            closed=Count("id", filter=closed),
            on_time=Count("id", filter=closed & Q(closed_at__lte=F("deadline"))),
            rated=Count("id", filter=closed & ~Q(satisfaction="")),
            satisfied=Count("id", filter=closed & Q(satisfaction__in=good)),
        )
    )
    return {row[group]: row for row in rows}


def _add_case_figures(figures, row):
    if not row:
        return
    figures.cases_closed = row["closed"]
    figures.closed_on_time = row["on_time"]
    figures.rated = row["rated"]
    figures.satisfied = row["satisfied"]


# --- per grid and per worker ---------------------------------------------------------


def grid_figures(grids, year, month, today=None):
    """``[Figures]`` of each grid (in the given order) for the month."""
    p = period(year, month, today)
    grids = list(grids)
    by_grid = {g.pk: Figures(subject=g) for g in grids}
    rounds = (
        Round.objects.filter(grid__in=grids, date__gte=p.first, date__lte=p.last)
        .order_by()
        .values("grid")
        .annotate(n=Count("id"), days=Count("date", distinct=True))
    )
    for row in rounds:
        by_grid[row["grid"]].rounds = row["n"]
        by_grid[row["grid"]].round_days = row["days"]
    visits = (
        Visit.objects.filter(
            care_object__grid__in=grids, visited_at__gte=p.start, visited_at__lt=p.end
        )
        .order_by()
        .values("care_object__grid")
        .annotate(n=Count("id"))
    )
    for row in visits:
        by_grid[row["care_object__grid"]].visits_done = row["n"]
    objects = _care_objects(CareObject.objects.filter(grid__in=grids), p)
    for grid_id, figures in by_grid.items():
        _add_visit_figures(figures, [c for c in objects if c.grid_id == grid_id], p)
    cases = Case.objects.filter(grid__in=grids)
    counts = _case_counts(cases, "grid", p)
    reported = dict(
        cases.filter(
            reported_at__gte=p.start, reported_at__lt=p.end, source=Case.Source.GRID_WORKER
        )
        .order_by()
        .values("grid")
        .annotate(n=Count("id"))
        .values_list("grid", "n")
    )
    for grid_id, figures in by_grid.items():
        _add_case_figures(figures, counts.get(grid_id))
        figures.cases_reported = reported.get(grid_id, 0)
    return [by_grid[g.pk] for g in grids]


def worker_figures(workers, year, month, today=None):
    """``[Figures]`` of each worker for the month (visits due/overdue over the grids in their scope)."""
    p = period(year, month, today)
    workers = list(workers)
    result = []
    for worker in workers:
        figures = Figures(subject=worker)
        rounds = Round.objects.filter(worker=worker, date__gte=p.first, date__lte=p.last)
        figures.rounds = rounds.count()
        figures.round_days = rounds.values("date").distinct().count()
        figures.visits_done = Visit.objects.filter(
            worker=worker, visited_at__gte=p.start, visited_at__lt=p.end
        ).count()
        scoped = restrict_to_scope(CareObject.objects.all(), worker, "grid__region")
        _add_visit_figures(figures, _care_objects(scoped, p), p)
        handled = _case_counts(Case.objects.filter(handler=worker), "handler", p).get(worker.pk)
        _add_case_figures(figures, handled)
        figures.cases_reported = Case.objects.filter(
            discoverer=worker, reported_at__gte=p.start, reported_at__lt=p.end
        ).count()
        result.append(figures)
    return result


def town_grids(town):
    return Grid.objects.filter(region__parent=town).select_related("region").order_by("code")


def town_workers(town, year, month, today=None):
    """Staff who worked in the town's grids in the month, or are posted to its villages."""
    p = period(year, month, today)
    grids = town_grids(town)
    active_ids = set(
        Round.objects.filter(grid__in=grids, date__gte=p.first, date__lte=p.last).values_list(
            "worker", flat=True
        )
    )
    active_ids |= set(
        Visit.objects.filter(
            care_object__grid__in=grids, visited_at__gte=p.start, visited_at__lt=p.end
        ).values_list("worker", flat=True)
    )
    posted = StaffRegion.objects.filter(region__parent=town).values_list("user", flat=True)
    users = get_user_model().objects.filter(is_active=True)
    workers = users.filter(Q(pk__in=active_ids) | Q(pk__in=posted)).order_by("username")
    return [u for u in workers if u.pk in active_ids or u.has_perm("care.add_visit")]


# --- the ranking ---------------------------------------------------------------------


@dataclass
class RankedGrid:
    figures: Figures
    parts: dict = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None

    @property
    def grid(self):
        return self.figures.subject

    @property
    def stars(self):
        if self.score is None:
            return 0
        return next(stars for floor, stars in STAR_THRESHOLDS if self.score >= floor)

    @property
    def stars_label(self):
        return "★" * self.stars + "☆" * (5 - self.stars) if self.stars else "—"


def town_weights(town):
    return GridRankingWeights.objects.filter(town=town).first() or GridRankingWeights(town=town)


def score(parts, weights):
    """100 × Σ weight·part ÷ Σ weight over the parts that have data (None: no data at all)."""
    used = [(getattr(weights, name), value) for name, value in parts.items() if value is not None]
    total = sum(w for w, _ in used)
    if not total:
        return None
    return round(100 * sum(w * v for w, v in used) / total, 1)


def grid_ranking(town, year, month, today=None):
    """The town's grids ranked for the month (``RankedGrid``, best first; ties share a rank)."""
    p = period(year, month, today)
    weights = town_weights(town)
    figures = grid_figures(town_grids(town), year, month, today)
    most_reported = max((f.cases_reported for f in figures), default=0)
    ranked = []
    for f in figures:
        parts = {
            "rounds": min(f.round_days / p.days, 1.0),
            "visit_completion": f.visit_completion,
            "cases_reported": _rate(f.cases_reported, most_reported),
            "closed_on_time": f.on_time_rate,
            "satisfaction": f.satisfaction_rate,
        }
        ranked.append(RankedGrid(figures=f, parts=parts, score=score(parts, weights)))
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.grid.code))
    previous = None
    for position, item in enumerate(ranked, start=1):
        if item.score is None:
            item.rank = None
            continue
        item.rank = previous.rank if previous and previous.score == item.score else position
        previous = item
    return ranked


# --- public aggregates ---------------------------------------------------------------


def village_visit_counts(year, month, today=None, villages=None):
    """``[(village, visits done, rounds)]`` for the month: counts only, never a person."""
    p = period(year, month, today)
    villages = villages if villages is not None else Region.objects.filter(level="village")
    visits = dict(
        Visit.objects.filter(visited_at__gte=p.start, visited_at__lt=p.end)
        .order_by()
        .values("care_object__grid__region")
        .annotate(n=Count("id"))
        .values_list("care_object__grid__region", "n")
    )
    rounds = dict(
        Round.objects.filter(date__gte=p.first, date__lte=p.last)
        .order_by()
        .values("grid__region")
        .annotate(n=Count("id"))
        .values_list("grid__region", "n")
    )
    return [(v, visits.get(v.pk, 0), rounds.get(v.pk, 0)) for v in villages]
