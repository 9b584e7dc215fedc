"""Template filters for the care figures."""

from django import template

from portal.care.exports import percent as _percent
from portal.care.exports import worker_name as _worker_name

register = template.Library()


@register.filter
def percent(rate):
    """0.8333 → 83.3%; no data → —."""
    return _percent(rate) or "—"


@register.filter
def worker_name(user):
    return _worker_name(user)
