"""Template filters for the public case pages and the public case search.

``cn_date``: a Chinese date (2026年3月5日) from a date, a datetime or the ISO
text the search API returns, in local time, wrapped so it never breaks across
lines. ``case_state``: 已办结 / 办理中 in words instead of a bare step name.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

register = template.Library()


def _as_date(value):
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            try:
                return datetime.date.fromisoformat(value.strip()[:10])
            except ValueError:
                return None
        value = parsed
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def chinese_date(value):
    """``2026年3月5日`` (no leading zeros), or '' for nothing usable."""
    day = _as_date(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


@register.filter
def cn_date(value):
    day = _as_date(value)
    if day is None:
        return ""
    return format_html(
        '<time class="nowrap" datetime="{}">{}</time>', day.isoformat(), chinese_date(day)
    )


@register.filter
def case_state(is_closed):
    return "已办结" if is_closed else "办理中"
