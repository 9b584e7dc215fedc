"""Template helpers shared by every public template (``{% load portal_tags %}``)."""

import datetime
import math
from decimal import Decimal

from django import template
from django.utils import timezone

from portal.pages.attachments import attachment_rows

register = template.Library()


def as_local_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


@register.filter
def cn_date(value):
    """A date (or datetime, in local time) as 2026年11月21日; '' for empty or unknown values."""
    day = as_local_date(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


@register.filter
def cn_datetime(value):
    """A datetime in local time as 2026年11月21日 09:05."""
    if not isinstance(value, datetime.datetime):
        return cn_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{cn_date(value)} {value:%H:%M}"


@register.simple_tag
def attachments_of(page):
    """Attachment rows of a page that never fail on a missing file (see portal.pages.attachments)."""
    return attachment_rows(page.attachments)


@register.filter
def cn_bool(value):
    """True/False as 是/否 (None stays empty): what a listing cell shows."""
    if value is None:
        return ""
    return "是" if value else "否"


@register.filter
def plain_number(value):
    """A decimal or float as people write it: 156.6, 1200, 0.5 (never 156.600000000000)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, float)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        value = Decimal(repr(round(value, 6)))
    if not value.is_finite():
        return value
    text = f"{value.normalize():f}"
    return text


@register.filter
def cn_value(value):
    """Any listing value in Chinese conventions: 是/否, plain decimals, 2026年11月21日 dates."""
    if isinstance(value, bool):
        return cn_bool(value)
    if isinstance(value, (Decimal, float)):
        return plain_number(value)
    if isinstance(value, datetime.datetime):
        return cn_datetime(value)
    if isinstance(value, datetime.date):
        return cn_date(value)
    return value
