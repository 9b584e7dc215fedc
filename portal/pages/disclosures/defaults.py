"""What a new disclosure's form starts with, and the not-yet-ended warning.

Plain functions beside the disclosure model, so the admin form, an importer and
the tests compute the same suggestions: the period most recently ended (what a
village usually publishes now), a title from village + kind + period, and the
opening balance carried from the previous period's closing balance.
"""

import datetime

from portal.pages.disclosures import rules
from portal.pages.disclosures.compliance import Period, period_containing

# Periods that follow each other on a calendar (an immediate matter has no predecessor).
CALENDAR_PERIODS = (rules.PERIOD_MONTH, rules.PERIOD_QUARTER, rules.PERIOD_YEAR)


def _period(period_type, year, period_number):
    if period_type not in CALENDAR_PERIODS or year is None:
        return None
    if period_type in rules.PERIOD_NUMBER_RANGE:
        low, high = rules.PERIOD_NUMBER_RANGE[period_type]
        if period_number is None or not (low <= period_number <= high):
            return None
        return Period(year, period_number, period_type)
    return Period(year, 0, period_type)


def previous_period(period_type, year, period_number):
    """(year, period_number) of the period before; None for an immediate or invalid period."""
    period = _period(period_type, year, period_number)
    if period is None:
        return None
    before = period.preceding()
    return before.year, before.period_number


def last_ended_period(period_type, today):
    """(year, period_number) of the latest period of this type that has fully ended by today."""
    before = period_containing(period_type, today).preceding()
    return before.year, before.period_number


def period_not_ended(period_type, year, period_number, today):
    """Whether the period ends after ``today`` (a disclosure for it is premature)."""
    period = _period(period_type, year, period_number)
    return period is not None and period.end >= today


def suggested_title(village_name, kind_label, period_type, year, period_number, matter_date=None):
    """e.g. 西岭村2026年第3季度财务公开 (same period wording as the public pages)."""
    label = rules.period_label(period_type, year, period_number, matter_date)
    if period_type == rules.PERIOD_IMMEDIATE:
        label = f"{matter_date:%Y年%-m月%-d日}" if matter_date else ""
    return f"{village_name or ''}{label}{kind_label or ''}"


def previous_closing_balance(
    region_id, kind, period_type, year, period_number, catalog_item_id=None
):
    """Closing balance of the same village + kind (+ catalog item) one period earlier.

    None when there is no such disclosure (the first period, an immediate matter) or
    it has no opening balance to compute from. A published disclosure wins over a
    draft; among equals the most recently edited one.
    """
    from portal.pages.models import DisclosurePage

    before = previous_period(period_type, year, period_number)
    if before is None or region_id is None:
        return None
    previous_year, previous_number = before
    candidates = DisclosurePage.objects.filter(
        region_id=region_id,
        kind=kind,
        period_type=period_type,
        year=previous_year,
        period_number=previous_number,
    )
    if catalog_item_id is not None:
        candidates = candidates.filter(catalog_item_id=catalog_item_id)
    page = candidates.order_by("-live", "-latest_revision_created_at", "-pk").first()
    if page is None or page.opening_balance is None:
        return None
    return page.closing_balance


def new_disclosure_initial(region, today=None, kind="finance", period_type=rules.PERIOD_QUARTER):
    """Initial values of the create form under ``region``'s board."""
    from portal.pages.disclosures.models import DisclosureKind

    today = today or datetime.date.today()
    year, number = last_ended_period(period_type, today)
    initial = {
        "kind": kind,
        "period_type": period_type,
        "year": year,
        "period_number": number,
        "title": suggested_title(
            getattr(region, "name", ""), DisclosureKind(kind).label, period_type, year, number
        ),
    }
    balance = previous_closing_balance(getattr(region, "pk", None), kind, period_type, year, number)
    if balance is not None:
        initial["opening_balance"] = balance
    return initial
