"""Notice board listing: which notices show, in what order, with which filters.

Plain functions so the page template, the API, the home page and the tests use
one rule: a notice is *pinned now* when it is pinned and its pin has not
expired (no end date, or an end date today or later); pinned-now notices come
first, then the newest by date. Expired notices (valid-until before today) stay
listed and are only marked, because the board is also the archive.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.pages.models import NoticePage
from portal.pages.public import PAGE_ROW_FIELDS, public_only

# Columns a list row shows; the body StreamField and search columns are never loaded.
LIST_FIELDS = (
    *PAGE_ROW_FIELDS,
    "date",
    "category",
    "issuing_unit",
    "urgent",
    "pinned",
    "pinned_until",
    "valid_from",
    "valid_until",
    "summary",
)


def pin_active_q(day):
    return Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gte=day))


def published_notices(parent=None):
    """Live, public notices, optionally only those under ``parent`` (a notice index)."""
    qs = public_only(NoticePage.objects.live())
    if parent is not None:
        qs = qs.descendant_of(parent)
    return qs


def with_list_flags(qs, day):
    """Annotate ``pin_active`` and ``validity_ended`` so templates need no per-row logic."""
    return qs.annotate(
        pin_active=Case(When(pin_active_q(day), then=Value(True)), default=Value(False)),
        validity_ended=Case(
            When(valid_until__lt=day, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def ordered_for_board(qs, day):
    """Pinned-now first, then newest date, then newest page (stable for pagination)."""
    return with_list_flags(qs, day).only(*LIST_FIELDS).order_by("-pin_active", "-date", "-id")


@dataclass
class NoticeListing:
    notices: object  # queryset, ordered for the board
    category: str = ""
    year: int | None = None
    errors: list = field(default_factory=list)


def parse_category(raw):
    """A valid category value, '' for none; raises ValueError with a Chinese message."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw not in NoticePage.Category.values:
        raise ValueError(f"没有“{raw}”这个类别，已显示全部类别。")
    return raw


def parse_year(raw):
    """A year as int, None for none; raises ValueError with a Chinese message."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1900 <= int(raw) <= 2999:
        raise ValueError(f"年份“{raw}”无效，请填写四位数字的年份，已显示全部年份。")
    return int(raw)


def notice_listing(index, category=None, year=None, day=None):
    """The notices of ``index`` for the board, filtered by category and year.

    ``category`` and ``year`` are the raw query-string values; invalid ones are
    ignored and explained in ``errors`` (shown to the reader) rather than
    failing the page.
    """
    day = day or timezone.localdate()
    listing = NoticeListing(notices=None)
    try:
        listing.category = parse_category(category)
    except ValueError as exc:
        listing.errors.append(str(exc))
    try:
        listing.year = parse_year(year)
    except ValueError as exc:
        listing.errors.append(str(exc))

    qs = published_notices(index)
    if listing.category:
        qs = qs.filter(category=listing.category)
    if listing.year:
        qs = qs.filter(date__year=listing.year)
    listing.notices = ordered_for_board(qs, day)
    return listing


def year_archive(index, category=""):
    """``[(year, count), …]`` newest first, for the archive links."""
    qs = published_notices(index)
    if category:
        qs = qs.filter(category=category)
    rows = (
        qs.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("-year")
    )
    return [(row["year"], row["count"]) for row in rows]


def pinned_notices(parent, day=None, limit=5):
    day = day or timezone.localdate()
    qs = published_notices(parent).filter(pin_active_q(day))
    return list(ordered_for_board(qs, day)[:limit])


def latest_notices(parent, day=None, limit=6, exclude_pinned=True):
    day = day or timezone.localdate()
    qs = published_notices(parent)
    if exclude_pinned:
        qs = qs.exclude(pin_active_q(day))
    return list(with_list_flags(qs, day).only(*LIST_FIELDS).order_by("-date", "-id")[:limit])


def pinned_and_latest(parent, day=None, pinned_limit=5, latest_limit=6):
    """``(pinned_now, latest_not_pinned)`` for the home page, usually in one query.

    The board order already puts pinned-now notices first, so its first
    ``pinned_limit + latest_limit`` rows hold both lists unless more than
    ``pinned_limit`` pins are active; only then a second query fetches the rest
    of the latest notices.
    """
    day = day or timezone.localdate()
    qs = published_notices(parent)
    rows = list(ordered_for_board(qs, day)[: pinned_limit + latest_limit])
    pinned = [n for n in rows if n.pin_active][:pinned_limit]
    latest = [n for n in rows if not n.pin_active][:latest_limit]
    if len(latest) < latest_limit and len(rows) == pinned_limit + latest_limit:
        latest = list(
            with_list_flags(qs.exclude(pin_active_q(day)), day)
            .only(*LIST_FIELDS)
            .order_by("-date", "-id")[:latest_limit]
        )
    return pinned, latest
