"""Disclosure compliance: was each required disclosure published on time, late, or not at all?

The Organic Law of Villagers' Committees (art. 30) and the town's catalog say what
each village must publish and how often; residents may report a missing
disclosure. This module turns the catalog (``DisclosureCatalogItem``) and the
published disclosures into one status per village, catalog item and period.

``evaluate()`` is a pure function of plain values (no database, no clock), so
the table-driven tests can pin every boundary; ``load_report()`` feeds it from
the database in three queries (regions, catalog items, disclosures) however
many villages, items and periods there are.

Rules
-----
* Subjects: every village (``Region`` level village) effective during the
  period; an item with an empty "applies to" list applies to every village, an
  item with a list applies only to the regions listed (which may include the
  town itself).
* Periods run from the period containing the item's ``active_from`` up to the
  period containing ``today`` (the current, unfinished period is "pending").
* Due dates: monthly → ``due_day`` of the month after the period; quarterly →
  ``due_day`` of the first month of the next quarter; annual → ``due_day`` of
  January of the next year. A ``due_day`` past the end of that month means its
  last day (31 in February is the 28th/29th).
* A period is **on time** if a disclosure for it was first published (local
  date of ``first_published_at``) on or before the due date, **late** if first
  published after it, **missing** if nothing is published and the due date has
  passed, **pending** if nothing is published yet and the due date has not
  passed. Where several disclosures cover one period the earliest counts.
* Immediate items (major matters) have no calendar of periods: the portal
  cannot know a matter that nobody disclosed, so an immediate item is never
  "missing". Each published immediate disclosure is evaluated on its own: due
  on ``matter_date + due_day`` days, on time or late. A disclosure without a
  matter date cannot be judged and is left out.
"""

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

# The period kinds are defined once, in the rules (DisclosurePeriodType uses them too).
from portal.pages.disclosures.rules import PERIOD_IMMEDIATE as IMMEDIATE
from portal.pages.disclosures.rules import PERIOD_MONTH as MONTH
from portal.pages.disclosures.rules import PERIOD_QUARTER as QUARTER
from portal.pages.disclosures.rules import PERIOD_YEAR as YEAR

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"

STATUS_LABELS = {ON_TIME: "按时", LATE: "逾期", MISSING: "缺失", PENDING: "未到期"}
STATUS_ORDER = [ON_TIME, LATE, MISSING, PENDING]


# --- periods and due dates ----------------------------------------------------------


def clamp_day(year, month, day):
    """``day`` of the month, or the month's last day when the month is shorter."""
    return datetime.date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def _add_months(year, month, count):
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A month, a quarter, a year, or (for immediate items) the date of one matter."""

    year: int
    number: int  # month 1–12, quarter 1–4, 0 for a year or an immediate matter
    kind: str
    matter_date: datetime.date | None = None

    @property
    def start(self):
        if self.kind == MONTH:
            return datetime.date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return datetime.date(self.year, 3 * self.number - 2, 1)
        if self.kind == IMMEDIATE:
            return self.matter_date
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        if self.kind == MONTH:
            return clamp_day(self.year, self.number, 31)
        if self.kind == QUARTER:
            return clamp_day(self.year, 3 * self.number, 31)
        if self.kind == IMMEDIATE:
            return self.matter_date
        return datetime.date(self.year, 12, 31)

    @property
    def period_number(self):
        """The disclosure's ``period_number`` for this period (None for a year)."""
        return self.number if self.kind in (MONTH, QUARTER) else None

    @property
    def label(self):
        if self.kind == MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{self.number}季度"
        if self.kind == IMMEDIATE:
            day = self.matter_date
            return f"{day.year}年{day.month}月{day.day}日事项"
        return f"{self.year}年度"

    @property
    def short_label(self):
        if self.kind == MONTH:
            return f"{self.year}.{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind == IMMEDIATE:
            return f"{self.matter_date:%m.%d}"
        return f"{self.year}"

    def following(self):
        if self.kind == MONTH:
            year, month = _add_months(self.year, self.number, 1)
            return Period(year, month, MONTH)
        if self.kind == QUARTER:
            return Period(self.year + (self.number == 4), self.number % 4 + 1, QUARTER)
        if self.kind == YEAR:
            return Period(self.year + 1, 0, YEAR)
        raise ValueError("an immediate matter has no following period")

    def preceding(self):
        if self.kind == MONTH:
            year, month = _add_months(self.year, self.number, -1)
            return Period(year, month, MONTH)
        if self.kind == QUARTER:
            return Period(self.year - (self.number == 1), (self.number - 2) % 4 + 1, QUARTER)
        if self.kind == YEAR:
            return Period(self.year - 1, 0, YEAR)
        raise ValueError("an immediate matter has no preceding period")


def period_containing(frequency, day):
    if frequency == MONTH:
        return Period(day.year, day.month, MONTH)
    if frequency == QUARTER:
        return Period(day.year, (day.month - 1) // 3 + 1, QUARTER)
    if frequency == YEAR:
        return Period(day.year, 0, YEAR)
    raise ValueError(f"no calendar periods for frequency {frequency!r}")


def periods_between(frequency, first_day, last_day):
    """Periods from the one containing ``first_day`` to the one containing ``last_day``."""
    periods = []
    if last_day < first_day:
        return periods
    period = period_containing(frequency, first_day)
    while period.start <= last_day:
        periods.append(period)
        period = period.following()
    return periods


def due_date(period, due_day):
    """The last day on which a disclosure for ``period`` counts as published on time."""
    if period.kind == IMMEDIATE:
        return period.matter_date + datetime.timedelta(days=due_day)
    if period.kind == MONTH:
        return clamp_day(*_add_months(period.year, period.number, 1), due_day)
    if period.kind == QUARTER:
        if period.number == 4:
            return clamp_day(period.year + 1, 1, due_day)
        return clamp_day(period.year, 3 * period.number + 1, due_day)
    return clamp_day(period.year + 1, 1, due_day)


def status_for(due, published_on, today):
    if published_on is not None:
        return ON_TIME if published_on <= due else LATE
    return MISSING if today > due else PENDING


# --- the plain values evaluate() works on --------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A village (or the town) that must publish."""

    id: int
    name: str
    level: str = "village"
    effective_from: datetime.date | None = None
    effective_until: datetime.date | None = None  # first day it no longer exists
    sort_order: int = 0

    def effective_during(self, period):
        if self.effective_from and self.effective_from > period.end:
            return False
        return not (self.effective_until and self.effective_until <= period.start)


@dataclass(frozen=True)
class CatalogEntry:
    id: int
    name: str
    frequency: str
    due_day: int
    active_from: datetime.date
    kind: str = ""
    region_ids: frozenset = frozenset()  # empty: every village
    sort_order: int = 0

    def applies_to(self, subject):
        if self.region_ids:
            return subject.id in self.region_ids
        return subject.level == "village"

    @property
    def due_rule_label(self):
        """The deadline in words, e.g. 下季度首月20日前."""
        day = self.due_day
        return {
            MONTH: f"次月{day}日前",
            QUARTER: f"下季度首月{day}日前",
            YEAR: f"次年1月{day}日前",
            IMMEDIATE: f"事项发生后{day}日内",
        }[self.frequency]

    @property
    def frequency_label(self):
        return {MONTH: "月度", QUARTER: "季度", YEAR: "年度", IMMEDIATE: "即时"}[self.frequency]


@dataclass(frozen=True)
class PublishedDisclosure:
    id: int
    region_id: int
    catalog_item_id: int
    year: int
    period_number: int | None
    published_on: datetime.date
    matter_date: datetime.date | None = None
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class ComplianceEntry:
    subject: Subject
    item: CatalogEntry
    period: Period
    due: datetime.date
    status: str
    disclosure: PublishedDisclosure | None = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def overdue_days(self, today):
        """Days past the due date: until publication if late, until ``today`` if missing."""
        if self.status == LATE:
            return (self.disclosure.published_on - self.due).days
        if self.status == MISSING:
            return (today - self.due).days
        return 0


def evaluate(subjects, items, disclosures, today):
    """Every (subject, item, period) status, plus one entry per immediate disclosure.

    Pure: takes lists of ``Subject``, ``CatalogEntry`` and ``PublishedDisclosure``
    and the date to judge on; returns ``ComplianceEntry`` values ordered by
    subject, item and period. See the module docstring for the rules.
    """
    earliest = {}
    immediate = defaultdict(list)
    for disclosure in disclosures:
        key = (
            disclosure.region_id,
            disclosure.catalog_item_id,
            disclosure.year,
            disclosure.period_number,
        )
        known = earliest.get(key)
        if known is None or disclosure.published_on < known.published_on:
            earliest[key] = disclosure
        immediate[(disclosure.region_id, disclosure.catalog_item_id)].append(disclosure)

    entries = []
    for subject in subjects:
        for item in items:
            if not item.applies_to(subject):
                continue
            if item.frequency == IMMEDIATE:
                matters = immediate.get((subject.id, item.id), [])
                for disclosure in sorted(matters, key=lambda d: (d.matter_date or today, d.id)):
                    if disclosure.matter_date is None or disclosure.matter_date < item.active_from:
                        continue
                    period = Period(
                        disclosure.matter_date.year, 0, IMMEDIATE, disclosure.matter_date
                    )
                    due = due_date(period, item.due_day)
                    status = status_for(due, disclosure.published_on, today)
                    entries.append(ComplianceEntry(subject, item, period, due, status, disclosure))
                continue
            for period in periods_between(item.frequency, item.active_from, today):
                if not subject.effective_during(period):
                    continue
                due = due_date(period, item.due_day)
                found = earliest.get((subject.id, item.id, period.year, period.period_number))
                status = status_for(due, found.published_on if found else None, today)
                entries.append(ComplianceEntry(subject, item, period, due, status, found))
    return entries


# --- summaries ------------------------------------------------------------------------


@dataclass
class SubjectSummary:
    subject: Subject
    counts: Counter = field(default_factory=Counter)

    @property
    def judged(self):
        return self.counts[ON_TIME] + self.counts[LATE] + self.counts[MISSING]

    @property
    def on_time_rate(self):
        """Share of due periods published on time, in percent (None if nothing was due)."""
        if not self.judged:
            return None
        return round(100 * self.counts[ON_TIME] / self.judged)

    def count(self, status):
        return self.counts[status]


def summarise(entries, subjects):
    summaries = {subject.id: SubjectSummary(subject) for subject in subjects}
    for entry in entries:
        summaries[entry.subject.id].counts[entry.status] += 1
    return [summaries[subject.id] for subject in subjects]


# --- loading from the database --------------------------------------------------------


def _local_date(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def load_inputs(region_ids=None, request=None):
    """Subjects, catalog entries and published disclosures, in three queries.

    ``region_ids`` limits the result to those regions (None: all), e.g. a staff
    user's scope. ``request`` lets Wagtail reuse its cached site roots for URLs.
    """
    from portal.pages.models import DisclosureCatalogItem, DisclosurePage
    from portal.snippets.models import Region

    regions = Region.objects.filter(level__in=[Region.Level.VILLAGE, Region.Level.TOWN])
    if region_ids is not None:
        regions = regions.filter(id__in=region_ids)
    subjects = [
        Subject(
            id=row["id"],
            name=row["name"],
            level=row["level"],
            effective_from=row["effective_from"],
            effective_until=row["effective_until"],
            sort_order=row["sort_order"],
        )
        for row in regions.order_by("level", "sort_order", "name").values(
            "id", "name", "level", "effective_from", "effective_until", "sort_order"
        )
    ]
    # Towns are subjects only for items that name them; keep villages first.
    subjects.sort(key=lambda s: (s.level != "village", s.sort_order, s.name))

    # One row per (item, region it applies to); a LEFT JOIN, so unrestricted items
    # come back once with applies_to = None.
    item_rows = (
        DisclosureCatalogItem.objects.filter(active=True)
        .order_by("sort_order", "id")
        .values(
            "id", "name", "kind", "frequency", "due_day", "active_from", "sort_order", "applies_to"
        )
    )
    grouped = {}
    applies = defaultdict(set)
    for row in item_rows:
        grouped.setdefault(row["id"], row)
        if row["applies_to"] is not None:
            applies[row["id"]].add(row["applies_to"])
    items = [
        CatalogEntry(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            frequency=row["frequency"],
            due_day=row["due_day"],
            active_from=row["active_from"],
            region_ids=frozenset(applies[item_id]),
            sort_order=row["sort_order"],
        )
        for item_id, row in grouped.items()
    ]

    pages = (
        DisclosurePage.objects.live()
        .filter(catalog_item__isnull=False, region__isnull=False)
        .only(
            "id",
            "title",
            "url_path",
            "region_id",
            "catalog_item_id",
            "year",
            "period_number",
            "matter_date",
            "first_published_at",
        )
    )
    if region_ids is not None:
        pages = pages.filter(region_id__in=region_ids)
    disclosures = [
        PublishedDisclosure(
            id=page.id,
            region_id=page.region_id,
            catalog_item_id=page.catalog_item_id,
            year=page.year,
            period_number=page.period_number,
            matter_date=page.matter_date,
            published_on=_local_date(page.first_published_at),
            title=page.title,
            url=page.get_url(request) or "",
        )
        for page in pages
        if page.first_published_at is not None
    ]
    return subjects, items, disclosures


def load_report(today=None, region_ids=None, request=None):
    """Evaluate the whole catalog against the database as of ``today`` (default: local today)."""
    today = today or timezone.localdate()
    subjects, items, disclosures = load_inputs(region_ids=region_ids, request=request)
    entries = evaluate(subjects, items, disclosures, today)
    judged_ids = {entry.subject.id for entry in entries}
    # A town that no item names has nothing to report; leave it out of the tables.
    subjects = [s for s in subjects if s.level == "village" or s.id in judged_ids]
    return subjects, items, entries


# --- the public matrix ------------------------------------------------------------------

# How many of the latest periods the public matrix shows per frequency.
RECENT_PERIODS = {MONTH: 6, QUARTER: 4, YEAR: 2, IMMEDIATE: 5}


@dataclass
class MatrixRow:
    item: CatalogEntry
    cells: list  # ComplianceEntry, oldest first

    @property
    def is_immediate(self):
        return self.item.frequency == IMMEDIATE


@dataclass
class SubjectSection:
    subject: Subject
    summary: SubjectSummary
    rows: list


def matrix(subjects, items, entries, recent=None):
    """Per subject: each applicable item with its latest periods (oldest first).

    The summary counts every period since each item became active, not just the
    ones shown.
    """
    recent = recent or RECENT_PERIODS
    by_cell = defaultdict(list)
    for entry in entries:
        by_cell[(entry.subject.id, entry.item.id)].append(entry)
    summaries = {s.subject.id: s for s in summarise(entries, subjects)}
    sections = []
    for subject in subjects:
        rows = []
        for item in items:
            if not item.applies_to(subject):
                continue
            cells = sorted(by_cell.get((subject.id, item.id), []), key=lambda e: e.period.start)
            rows.append(MatrixRow(item, cells[-recent.get(item.frequency, 4) :]))
        sections.append(SubjectSection(subject, summaries[subject.id], rows))
    return sections
