"""Template helpers shared by every public template (``{% load portal_tags %}``)."""

import datetime

from django import template
from django.utils import timezone

from portal.pages.attachments import attachment_rows

register = template.Library()


def _as_local_date(value):
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
    day = _as_local_date(value)
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
