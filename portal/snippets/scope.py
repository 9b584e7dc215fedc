"""Region scope: which part of the administrative tree a staff user may see.

A user assigned to a region (``StaffRegion``) sees that region and everything
below it. Superusers see everything. A staff user with no assignment sees
nothing. Every admin list, chooser, export, import and search goes through
these functions so that the rule lives in one place.
"""

from .models import Region

ALL = None  # sentinel: no restriction


def descendant_ids(region_ids):
    """The given regions and all regions below them (the tree is three levels deep)."""
    found = set(region_ids)
    frontier = set(region_ids)
    while frontier:
        children = set(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - found
        found |= children
    return found


def region_ids_in_scope(user):
    """Region ids the user may see, or ``ALL`` for an unrestricted user.

    Cached on the user object for the life of the request.
    """
    if user is None or not user.is_authenticated:
        return set()
    if user.is_superuser:
        return ALL
    cached = getattr(user, "_portal_region_scope", False)
    if cached is not False:
        return cached
    assigned = set(user.staff_regions.values_list("region_id", flat=True))
    scope = descendant_ids(assigned) if assigned else set()
    user._portal_region_scope = scope
    return scope


def restrict_to_scope(queryset, user, region_field):
    """Filter ``queryset`` to rows whose ``region_field`` lies in the user's scope."""
    scope = region_ids_in_scope(user)
    if scope is ALL:
        return queryset
    return queryset.filter(**{f"{region_field}__in": scope})


def region_in_scope(user, region_id):
    scope = region_ids_in_scope(user)
    return scope is ALL or region_id in scope
