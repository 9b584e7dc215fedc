"""Grid boundaries as GeoJSON: what shape is acceptable, and why not.

A boundary is a GeoJSON ``Polygon`` or ``MultiPolygon`` geometry (a ``Feature``
wrapping one is unwrapped). Offices draw them in various GIS tools, so the check
names the exact ring and point that is wrong instead of just "invalid".
No GIS library is needed for this: we validate structure, not topology.
"""

ACCEPTED_TYPES = ("Polygon", "MultiPolygon")


def boundary_geometry(value):
    """The geometry object inside ``value`` (unwrapping a Feature), or ``value`` itself."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        return value.get("geometry")
    return value


def _position_problem(position, where):
    if not isinstance(position, (list, tuple)) or len(position) < 2:
        return f"{where}应为[经度, 纬度]形式的坐标"
    lon, lat = position[0], position[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
        return f"{where}的经纬度必须是数字"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"{where}的经纬度超出范围（经度±180，纬度±90）"
    return None


def _polygon_problem(rings, label):
    if not isinstance(rings, list) or not rings:
        return f"{label}至少需要一个闭合环"
    for r, ring in enumerate(rings, start=1):
        ring_label = f"{label}第{r}个环"
        if not isinstance(ring, list) or len(ring) < 4:
            return f"{ring_label}至少需要4个坐标点（首尾相同）"
        for p, position in enumerate(ring, start=1):
            problem = _position_problem(position, f"{ring_label}第{p}个点")
            if problem:
                return problem
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return f"{ring_label}未闭合：首尾坐标必须相同"
    return None


def boundary_problem(value):
    """A Chinese description of what is wrong with a boundary, or None (empty is fine)."""
    if value in (None, "", {}):
        return None
    geometry = boundary_geometry(value)
    if not isinstance(geometry, dict):
        return '边界必须是GeoJSON对象，例如 {"type": "Polygon", "coordinates": [...]}'
    kind = geometry.get("type")
    if kind not in ACCEPTED_TYPES:
        return f"边界类型必须是 Polygon 或 MultiPolygon，当前为 {kind or '空'}"
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_problem(coordinates, "边界")
    if not isinstance(coordinates, list) or not coordinates:
        return "MultiPolygon 边界至少需要一个多边形"
    for n, polygon in enumerate(coordinates, start=1):
        problem = _polygon_problem(polygon, f"第{n}个多边形")
        if problem:
            return problem
    return None
