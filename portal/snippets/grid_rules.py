"""Rules about grids that the admin, the importer and the API all share.

- which edits need the town admins' approval (``sensitive_changes``),
- what keeps a grid from being deleted (``grid_delete_blockers``).
"""

from django.apps import apps

from .models import Grid

_FIELD_LABELS = {name: Grid._meta.get_field(name).verbose_name for name in Grid.SENSITIVE_FIELDS}


def sensitive_changes(live, draft):
    """Labels of the approval-worthy fields that differ between the live grid and a draft.

    A grid that has never been published is new: all of its sensitive fields count
    as changed, because a new grid on the map needs approval too.
    """
    if live.pk is None or (not live.live and live.first_published_at is None):
        return [str(label) for label in _FIELD_LABELS.values()]
    changed = []
    if live.code != draft.code:
        changed.append(_FIELD_LABELS["code"])
    if (live.boundary or None) != (draft.boundary or None):
        changed.append(_FIELD_LABELS["boundary"])
    if live.region_id != draft.region_id:
        changed.append(_FIELD_LABELS["region"])
    return [str(label) for label in changed]


# (counting query, unit, noun) for everything that points at a grid and must be
# moved before the grid can go. Cases live in another app: looked up lazily.
def _dependants(grid):
    yield grid.volunteers.count(), "名", "志愿者"
    if apps.is_installed("portal.cases"):
        case_model = apps.get_model("cases", "Case")
        yield case_model.objects.filter(grid=grid).count(), "件", "案件"
    if apps.is_installed("portal.care"):
        yield (
            apps.get_model("care", "CareObject").objects.filter(grid=grid).count(),
            "名",
            "关爱对象",
        )
        yield apps.get_model("care", "Round").objects.filter(grid=grid).count(), "条", "巡查记录"


def grid_delete_blockers(grid):
    """What still depends on ``grid``: a list of ``(noun, count)`` with count > 0."""
    return [(noun, count) for count, _unit, noun in _dependants(grid) if count]


def grid_delete_problem(grid):
    """The Chinese refusal for deleting ``grid``, or None if nothing depends on it.

    e.g. "该网格下还有 12 名志愿者、30 件案件，不能删除"
    """
    parts = [f"{count} {unit}{noun}" for count, unit, noun in _dependants(grid) if count]
    if not parts:
        return None
    return f"该网格下还有 {'、'.join(parts)}，不能删除"
