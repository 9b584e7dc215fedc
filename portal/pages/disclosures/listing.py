"""What a disclosure index shows: the villages below the town, and filtered disclosures.

Filters are plain query-string links (``?kind=finance&year=2026&period=q3``) so a
resident can bookmark "西岭村 2026年第3季度 财务公开" and an old phone without
JavaScript works. Each section costs one query however many villages or
disclosures there are; unknown filter values are ignored, never an error.
"""

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth
from django.utils.http import urlencode

from portal.pages.disclosures import rules
from portal.pages.disclosures.models import DisclosureIndexPage, DisclosureKind, DisclosurePage
from portal.pages.pagination import paginate
from portal.security.params import int_or_none

PER_PAGE = 30

PERIOD_FILTERS = {
    "q1": "第1季度",
    "q2": "第2季度",
    "q3": "第3季度",
    "q4": "第4季度",
    "annual": "年度",
    "immediate": "即时公开",
}


def parse_filters(params):
    """The valid filters in ``params`` (a QueryDict); anything unknown is dropped."""
    filters = {}
    kind = params.get("kind", "")
    if kind in DisclosureKind.values:
        filters["kind"] = kind
    year = int_or_none(params.get("year"), minimum=rules.MIN_YEAR, maximum=rules.MAX_YEAR)
    if year is not None:
        filters["year"] = year
    period = params.get("period", "")
    if period in PERIOD_FILTERS:
        filters["period"] = period
    return filters


def period_condition(period):
    """A quarter takes in its own quarterly disclosures, its months and its immediate matters."""
    if period == "annual":
        return Q(period_type=rules.PERIOD_YEAR)
    if period == "immediate":
        return Q(period_type=rules.PERIOD_IMMEDIATE)
    quarter = int(period[1])
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    return (
        Q(period_type=rules.PERIOD_QUARTER, period_number=quarter)
        | Q(period_type=rules.PERIOD_MONTH, period_number__in=months)
        | Q(period_type=rules.PERIOD_IMMEDIATE, matter_date__month__in=months)
    )


def with_period_order(queryset):
    """Newest first by the date each item speaks of, then by publication date.

    A periodic report speaks of its period's last day (a year's annual report,
    then Q4/December, … down to January); an immediate matter of the day it
    happened. So the October report (to 31 October) comes above a matter of
    22 October, which comes above the September report. Items about the same
    day — Q3's reports and September's — are in publication order, newest
    first, whatever their kind: sorting them by kind made the board's dates
    jump (10月4日, 10月3日, 10月2日, 10月3日) on a phone.
    """
    sort_month = Case(
        When(period_type=rules.PERIOD_YEAR, then=Value(13)),
        When(period_type=rules.PERIOD_QUARTER, then=F("period_number") * 3),
        When(period_type=rules.PERIOD_MONTH, then=F("period_number")),
        default=ExtractMonth("matter_date"),
        output_field=IntegerField(),
    )
    # A periodic report covers its whole last month: after any day of it.
    sort_day = Case(
        When(period_type=rules.PERIOD_IMMEDIATE, then=ExtractDay("matter_date")),
        default=Value(32),
        output_field=IntegerField(),
    )
    return queryset.annotate(sort_month=sort_month, sort_day=sort_day).order_by(
        "-year",
        F("sort_month").desc(nulls_last=True),
        F("sort_day").desc(nulls_last=True),
        F("first_published_at").desc(nulls_last=True),
        "-id",
    )


def disclosures_of(index_page, filters):
    queryset = DisclosurePage.objects.live().child_of(index_page)
    if "kind" in filters:
        queryset = queryset.filter(kind=filters["kind"])
    if "year" in filters:
        queryset = queryset.filter(year=filters["year"])
    if "period" in filters:
        queryset = queryset.filter(period_condition(filters["period"]))
    return with_period_order(queryset.select_related("catalog_item"))


def villages_below(index_page):
    """Live village indexes below the town's index, with counts and last publication (1 query)."""
    live = DisclosurePage.objects.live().filter(region_id=OuterRef("region_id"))
    count = live.order_by().values("region_id").annotate(n=Count("pk")).values("n")
    latest = live.order_by("-first_published_at").values("first_published_at")[:1]
    return (
        DisclosureIndexPage.objects.live()
        .child_of(index_page)
        .select_related("region")
        .annotate(
            disclosure_count=Subquery(count, output_field=IntegerField()),
            latest_published_at=Subquery(latest),
        )
        .order_by("region__sort_order", "path")
    )


def _link(base_url, filters, **changes):
    merged = {**filters, **changes}
    query = {key: value for key, value in merged.items() if value not in (None, "")}
    return f"{base_url}?{urlencode(query)}" if query else base_url


def filter_links(base_url, filters, years):
    """Three rows of links (kind, year, period); each keeps the other two filters."""

    def row(key, options):
        current = filters.get(key)
        links = [
            {
                "label": "全部",
                "url": _link(base_url, filters, **{key: None}),
                "current": current is None,
            }
        ]
        for value, label in options:
            links.append(
                {
                    "label": label,
                    "url": _link(base_url, filters, **{key: value}),
                    "current": current == value,
                }
            )
        return links

    return [
        {"name": "公开类别", "links": row("kind", DisclosureKind.choices)},
        {"name": "年度", "links": row("year", [(year, f"{year}年") for year in years])},
        {"name": "期次", "links": row("period", list(PERIOD_FILTERS.items()))},
    ]


def index_context(index_page, request):
    filters = parse_filters(request.GET)
    base_url = index_page.get_url(request) or index_page.url or ""
    years = list(
        DisclosurePage.objects.live()
        .child_of(index_page)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    if "year" in filters and filters["year"] not in years:
        years = sorted({*years, filters["year"]}, reverse=True)
    page_obj, page_range = paginate(request, disclosures_of(index_page, filters), PER_PAGE)
    active = []
    if "kind" in filters:
        active.append(DisclosureKind(filters["kind"]).label)
    if "year" in filters:
        active.append(f"{filters['year']}年")
    if "period" in filters:
        active.append(PERIOD_FILTERS[filters["period"]])
    return {
        "filters": filters,
        "filter_rows": filter_links(base_url, filters, years),
        "active_filters": active,
        "disclosures": page_obj,
        "page_range": page_range,
        "pagination_query": urlencode(filters),
        "villages": list(villages_below(index_page)),
        "has_own_disclosures": bool(years),
    }
