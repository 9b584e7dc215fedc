"""Template filters for the public case pages and the public case search.

``cn_date``: a Chinese date (2026年3月5日) from a date, a datetime or the ISO
text the search API returns, in local time, wrapped so it never breaks across
lines. ``case_state``: 已办结 / 办理中 in words instead of a bare step name.
"""

import datetime

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from portal.pages.templatetags.portal_tags import as_local_date
from portal.pages.templatetags.portal_tags import cn_date as chinese_day

register = template.Library()


def _as_date(value):
    """A date from a date, a datetime (local time) or the search API's ISO text."""
    if isinstance(value, str):
        text = value.strip()
        value = parse_datetime(text)
        if value is None:
            try:
                return datetime.date.fromisoformat(text[:10])
            except ValueError:
                return None
    return as_local_date(value)


def chinese_date(value):
    """``2026年3月5日`` (no leading zeros), or '' for nothing usable."""
    return chinese_day(_as_date(value))


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
