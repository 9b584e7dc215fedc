"""Which grid a point (latitude, longitude) lies in, from the grids' GeoJSON boundaries.

No GIS library: an even-odd ray test per ring (holes excluded), after a
bounding-box check, over the grids that have a boundary. The coordinates must be
in the system the boundaries were drawn in (in China usually GCJ-02, which is
what the phone's map SDK returns); a point on no grid's boundary is None.
"""

from .boundaries import boundary_geometry


def _in_ring(ring, x, y):
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[i - 1][0], ring[i - 1][1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygons(geometry):
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if kind else None
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        return list(coordinates or [])
    return []


def contains_point(boundary, lat, lon):
    """True if the point is inside ``boundary`` (Polygon/MultiPolygon, [lon, lat] positions)."""
    try:
        for rings in _polygons(boundary_geometry(boundary)):
            outer = rings[0]
            xs = [p[0] for p in outer]
            ys = [p[1] for p in outer]
            if not (min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys)):
                continue
            if _in_ring(outer, lon, lat) and not any(_in_ring(h, lon, lat) for h in rings[1:]):
                return True
    except (TypeError, IndexError, KeyError, ValueError, ZeroDivisionError):
        return False
    return False


def grid_at(lat, lon, queryset):
    """The first grid of ``queryset`` (by code) whose boundary contains the point, or None."""
    candidates = queryset.exclude(boundary__isnull=True).only("id", "code", "boundary", "region_id")
    for grid in candidates.order_by("code").iterator(chunk_size=500):
        if contains_point(grid.boundary, lat, lon):
            return grid
    return None
