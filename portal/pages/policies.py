"""Policy library listing: filters by level, topic, derived status and year.

Status is derived (``PolicyPage.status_on``), never stored; the list filters it
through ``policy_status_expression`` so filtering and pagination stay in SQL
instead of loading every policy into Python.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from taggit.models import Tag

from portal.pages.models import PolicyPage
from portal.pages.models.policies import policy_status_expression
from portal.pages.notices import parse_year
from portal.pages.public import PAGE_ROW_FIELDS, public_only

LIST_FIELDS = (
    *PAGE_ROW_FIELDS,
    "document_number",
    "issuer",
    "level",
    "issue_date",
    "effective_date",
    "repealed_on",
    "superseded_by",
    "interprets",
)


def published_policies(parent=None):
    qs = public_only(PolicyPage.objects.live())
    if parent is not None:
        qs = qs.descendant_of(parent)
    return qs


@dataclass
class PolicyListing:
    policies: object
    level: str = ""
    topic: str = ""
    status: str = ""
    year: int | None = None
    errors: list = field(default_factory=list)


def _choice(raw, choices, what):
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw not in choices:
        raise ValueError(f"没有“{raw}”这个{what}，已显示全部{what}。")
    return raw


def with_status(qs, day):
    """Annotate ``derived_status`` (same rule as ``PolicyPage.status_on``)."""
    return qs.annotate(derived_status=policy_status_expression(day))


def policy_listing(index, level=None, topic=None, status=None, year=None, day=None):
    """Policies of ``index``, newest issue date first, filtered by the raw query values."""
    day = day or timezone.localdate()
    listing = PolicyListing(policies=None)
    checks = (
        ("level", level, PolicyPage.Level.values, "层级"),
        ("status", status, PolicyPage.Status.values, "状态"),
    )
    for attr, raw, choices, what in checks:
        try:
            setattr(listing, attr, _choice(raw, choices, what))
        except ValueError as exc:
            listing.errors.append(str(exc))
    try:
        listing.year = parse_year(year)
    except ValueError as exc:
        listing.errors.append(str(exc))
    listing.topic = (topic or "").strip()

    qs = with_status(published_policies(index), day)
    if listing.level:
        qs = qs.filter(level=listing.level)
    if listing.status:
        qs = qs.filter(derived_status=listing.status)
    if listing.year:
        qs = qs.filter(issue_date__year=listing.year)
    if listing.topic:
        qs = qs.filter(topics__slug=listing.topic)
    listing.policies = (
        qs.select_related("interprets")
        .only(*LIST_FIELDS, "interprets__id", "interprets__title")
        .prefetch_related("tagged_topics__tag")
        .order_by("-issue_date", "-id")
    )
    return listing


def topic_choices(index):
    """Tags used by live policies of ``index``: ``[(slug, name, count), …]``, by name."""
    rows = (
        Tag.objects.filter(pages_policytopic_items__content_object__in=published_policies(index))
        .annotate(count=Count("pages_policytopic_items", distinct=True))
        .order_by("name")
        .values_list("slug", "name", "count")
    )
    return list(rows)


def issue_years(index):
    """Years with at least one policy, newest first."""
    rows = (
        published_policies(index)
        .annotate(year=ExtractYear("issue_date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(rows)
