"""Shared query-parameter parsing for the JSON APIs: Chinese 400 messages, never a 500."""

import datetime
import re

from django.utils import timezone
from rest_framework.exceptions import ValidationError

from portal.security.params import InvalidParameter, int_or_none, parse_int
from portal.snippets.models import Region

_DATE_ONLY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEVEL_LABELS = {Region.Level.TOWN: "乡镇（街道）", Region.Level.VILLAGE: "村（社区）"}


def region_param(params, name, level):
    """The Region named by ``?name=`` — an id or an exact name — or None when absent."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    qs = Region.objects.filter(level=level)
    pk = int_or_none(value, minimum=1)
    region = qs.filter(pk=pk).first() if pk is not None else None
    if region is None:
        matches = list(qs.filter(name=value)[:2])
        if len(matches) > 1:
            raise ValidationError(
                {name: [f"有多个名为“{value}”的{LEVEL_LABELS[level]}，请改用编号（id）"]}
            )
        region = matches[0] if matches else None
    if region is None:
        raise ValidationError({name: [f"未找到{LEVEL_LABELS[level]}“{value}”"]})
    return region


def int_param(params, name, default, minimum=1, maximum=None):
    """A strict integer (ASCII digits, bounded; see ``portal.security.params``)."""
    try:
        if maximum is None:
            return parse_int(params.get(name), name, default=default, minimum=minimum)
        return parse_int(params.get(name), name, default=default, minimum=minimum, maximum=maximum)
    except InvalidParameter as error:
        raise ValidationError({name: [error.message]}) from None


def choice_param(params, name, choices):
    """A value from ``choices`` (a TextChoices class), matched by value or Chinese label."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    for choice in choices:
        if value in (choice.value, choice.label):
            return choice.value
    allowed = "、".join(f"{c.value}（{c.label}）" for c in choices)
    raise ValidationError({name: [f"无法识别“{value}”，可选值：{allowed}"]})


def parse_datetime_param(name, value, *, end_of_day=False):
    """An ISO 8601 date or date-time; naive values are in the site's time zone.

    A bare date as ``end_date`` means the whole of that day.
    """
    text = value.strip()
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(
            f"参数 {name} 的值“{value}”不是有效的 ISO 8601 时间，"
            "应如 2025-03-01 或 2025-03-01T08:00:00+08:00"
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if end_of_day and _DATE_ONLY_RE.match(text):
        parsed += datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    return parsed
