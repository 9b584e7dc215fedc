"""How cases and categories map onto GeoReport v2 fields (one place for the
JSON and XML outputs and the tests)."""

from django.db.models import Q
from django.utils import timezone

from portal.cases.models import Case

OPEN = "open"
CLOSED = "closed"
OPEN_STATUSES = (Case.Status.ACCEPTED, Case.Status.DISPATCHED, Case.Status.HANDLING)
DISPUTE_GROUP = "矛盾纠纷"
GENERAL_GROUP = "民生诉求"


def public_cases():
    """The only cases Open311 serves to anyone."""
    return Case.objects.filter(is_public=True)


def visible_cases(key=None):
    """Public cases, plus — for a valid ``key`` — the requests that key submitted."""
    if key is None:
        return public_cases()
    return Case.objects.filter(Q(is_public=True) | Q(open311_submission__key=key))


def open311_status(case_status):
    """受理/分拨/处置 → open; 办结/回访/评价 → closed."""
    return CLOSED if case_status in Case.CLOSED_STATUSES else OPEN


def statuses_for(open311_value):
    return list(Case.CLOSED_STATUSES) if open311_value == CLOSED else list(OPEN_STATUSES)


def iso_local(value):
    """ISO 8601 in the site's time zone (Asia/Shanghai → ``+08:00``), or None."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service_group(category):
    return DISPUTE_GROUP if category.is_dispute else GENERAL_GROUP


def service_keywords(category):
    words = [category.name]
    if category.is_dispute:
        words.append(DISPUTE_GROUP)
    return ",".join(words)


def public_address(case):
    """Village and grid only: the reported place may be someone's home."""
    return " ".join(part for part in (case.village.name, case.grid.name) if part)


def grid_centroid(grid):
    """(lat, long) of a grid's boundary — the mean of its outer ring — or (None, None).

    A grid covers hundreds of households, so its centre points at no one's home.
    """
    geometry = grid.boundary or {}
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    try:
        if geometry.get("type") == "Polygon":
            ring = geometry["coordinates"][0]
        elif geometry.get("type") == "MultiPolygon":
            ring = geometry["coordinates"][0][0]
        else:
            return None, None
        points = [(float(p[0]), float(p[1])) for p in ring]
    except (KeyError, IndexError, TypeError, ValueError):
        return None, None
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if not points:
        return None, None
    longitude = sum(p[0] for p in points) / len(points)
    latitude = sum(p[1] for p in points) / len(points)
    return round(latitude, 6), round(longitude, 6)
