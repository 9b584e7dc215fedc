"""Overdue-visit warnings: the grid leader when a visit is overdue, the town when twice overdue.

``send_visit_warnings`` (run daily by the management command of the same name)
finds every active care object whose visit is overdue, and mails

* the grid's leader (网格长, ``GridStaff.Role.LEADER``) one list per day of the
  grid's overdue care objects;
* the town's admins (staff assigned to the town itself who may see care
  objects) one list per day of the objects not visited for two cadences.

The ``VisitWarning`` sent-log makes a second run on the same day send nothing
again for an object already warned about at that level.

A grid leader is a public board entry (name, work phone), not an account; the
leader's account is the active staff user whose regions cover the grid and
whose name is the leader's. When a grid has no such account the warning goes to
the staff assigned to the grid's village, so that it still reaches the grid.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from portal.notify import notify_template, user_addresses
from portal.snippets.models import GridStaff, Region

from .models import CareObject, VisitWarning
from .services import due_states, with_last_visit

CARE_PERMISSION = "care.view_careobject"


def overdue_states(today, care_objects=None):
    """``[(care_object, state)]`` of active care objects overdue on ``today``, most urgent first."""
    if care_objects is None:
        care_objects = CareObject.objects.all()
    objects = with_last_visit(
        care_objects.filter(active=True).select_related("grid", "grid__region")
    )
    return [item for item in due_states(objects, today) if item[1].overdue]


def _ancestor_ids(region):
    ids = []
    while region is not None:
        ids.append(region.pk)
        region = region.parent
    return ids


def _names(user):
    first, last = user.first_name.strip(), user.last_name.strip()
    return {n for n in (first, last + first, first + last, user.get_full_name().strip()) if n}


def _staff_with_care(region_ids):
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_regions__region_id__in=region_ids)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [u for u in users if u.has_perm(CARE_PERMISSION)]


def grid_leader_users(grid):
    """Accounts of the grid's 网格长 (see the module docstring), else the village's staff."""
    leader_names = set(
        GridStaff.objects.filter(grids=grid, role=GridStaff.Role.LEADER).values_list(
            "name", flat=True
        )
    )
    covering = _staff_with_care(_ancestor_ids(grid.region))
    leaders = [u for u in covering if _names(u) & leader_names]
    if leaders:
        return leaders
    return _staff_with_care([grid.region_id])


def town_admin_users(town):
    """Staff assigned to the town itself who may see care objects."""
    return _staff_with_care([town.pk])


@dataclass
class WarningRun:
    """What one run sent: (level, recipient list, number of care objects) per message."""

    messages: list = field(default_factory=list)
    skipped: int = 0
    unaddressed: int = 0


def _log_once(care_object, today, level, recipients):
    """Write the sent-log row; False if this object was already warned about today."""
    try:
        with transaction.atomic():
            VisitWarning.objects.create(
                care_object=care_object,
                date=today,
                level=level,
                recipients=", ".join(recipients),
            )
    except IntegrityError:
        return False
    return True


def _send(run, today, level, groups, template, context_key):
    """``groups``: {(key object, tuple of addresses): [(care_object, state)]}."""
    for (subject_of, addresses), items in groups.items():
        fresh = [(c, s) for c, s in items if _log_once(c, today, level, addresses)]
        run.skipped += len(items) - len(fresh)
        if not fresh:
            continue
        if not addresses:
            run.unaddressed += len(fresh)
            continue
        rows = [
            {"care_object": c, "state": s, "days_overdue": s.days_overdue(today)} for c, s in fresh
        ]
        notify_template(
            list(addresses), template, {context_key: subject_of, "rows": rows, "today": today}
        )
        run.messages.append((level, list(addresses), len(fresh)))


def send_visit_warnings(today):
    """Warn about every overdue visit on ``today``; idempotent per object, level and day."""
    run = WarningRun()
    items = overdue_states(today)
    leaders_by_grid, towns = {}, {}
    to_leaders, to_towns = defaultdict(list), defaultdict(list)
    for care_object, state in items:
        grid = care_object.grid
        if grid.pk not in leaders_by_grid:
            leaders_by_grid[grid.pk] = tuple(user_addresses(grid_leader_users(grid)))
        to_leaders[(grid, leaders_by_grid[grid.pk])].append((care_object, state))
        if state.overdue_twice:
            town_id = grid.region.parent_id
            if town_id not in towns:
                town = Region.objects.get(pk=town_id)
                towns[town_id] = (town, tuple(user_addresses(town_admin_users(town))))
            town, addresses = towns[town_id]
            to_towns[(town, addresses)].append((care_object, state))
    with transaction.atomic():
        _send(run, today, VisitWarning.Level.OVERDUE, to_leaders, "care_visit_overdue", "grid")
        _send(
            run,
            today,
            VisitWarning.Level.OVERDUE_TWICE,
            to_towns,
            "care_visit_overdue_twice",
            "town",
        )
    return run
