"""The staff on a grid's public board (网格公示牌), as an import describes it.

Both layouts of a grid register end here: one column per role (names
separated by 、 with a matching phones column, ``grids``) and one row per
person (``grid_staff``). A role an import names for a grid makes that role on
the board match it: people no longer named are unlinked from the grid (never
deleted: they may serve other grids), new names are linked. A role it does not
name is left alone.

Who is the same person: 网格长 and 网格指导员 often serve several grids, so
they are matched across grids by name and work phone (by name alone when the
sheet gives no phone and exactly one such person exists); 专职/兼职网格员 are
matched by name among the people of that role in the same village.
"""

from dataclasses import dataclass

from portal.snippets.models import GridStaff

from .base import CHUNK
from .lookups import in_chunks

Role = GridStaff.Role


@dataclass(frozen=True)
class RoleSpec:
    role: str
    names_key: str  # column key in the grid register
    phones_key: str
    label: str
    shared: bool  # may serve several grids, anywhere in the county
    full_time: bool = True


ROLE_SPECS = [
    RoleSpec(Role.LEADER, "leader", "leader_phone", "网格长", shared=True),
    RoleSpec(Role.FULL_TIME, "workers", "worker_phones", "专职网格员", shared=False),
    RoleSpec(
        Role.PART_TIME, "part_timers", "part_timer_phones", "兼职网格员", False, full_time=False
    ),
    RoleSpec(Role.INSTRUCTOR, "instructors", "instructor_phones", "网格指导员", shared=True),
]
SPEC_BY_ROLE = {spec.role: spec for spec in ROLE_SPECS}


def load_boards(grid_ids):
    """grid id → [(staff id, role, name, phone)] for the staff linked to each grid."""
    board = {}
    through = GridStaff.grids.through
    for chunk in in_chunks(grid_ids):
        rows = through.objects.filter(grid_id__in=chunk).values_list(
            "grid_id", "gridstaff_id", "gridstaff__role", "gridstaff__name", "gridstaff__work_phone"
        )
        for grid_id, staff_id, role, name, phone in rows:
            board.setdefault(grid_id, []).append((staff_id, role, name, phone))
    return board


def board_changes(wanted, current):
    """Labels of what ``wanted`` ({role: [(name, phone or None)]}) changes on ``current``."""
    changes = []
    for spec in ROLE_SPECS:
        if spec.role not in wanted:
            continue
        people = wanted[spec.role]
        on_board = {entry[2]: entry[3] for entry in current if entry[1] == spec.role}
        if set(on_board) != {name for name, _phone in people}:
            changes.append(spec.label)
        elif any(phone and on_board[name] != phone for name, phone in people):
            changes.append(f"{spec.label}电话")
    return changes


class _People:
    """Existing people an import may mean, looked up once for the whole file."""

    def __init__(self, plans):
        shared_names, village_names, region_ids = set(), set(), set()
        for _grid_id, region_id, wanted, _current in plans:
            for role, people in wanted.items():
                names = {name for name, _phone in people}
                if SPEC_BY_ROLE[role].shared:
                    shared_names |= names
                else:
                    village_names |= names
                    region_ids.add(region_id)
        self.shared = {}  # (role, name) → [(id, phone)]
        for chunk in in_chunks(shared_names):
            for staff_id, role, name, phone in GridStaff.objects.filter(
                role__in=[s.role for s in ROLE_SPECS if s.shared], name__in=chunk
            ).values_list("id", "role", "name", "work_phone"):
                self.shared.setdefault((role, name), []).append((staff_id, phone))
        self.local = {}  # (role, region id, name) → (id, phone)
        if village_names:
            through = GridStaff.grids.through
            for chunk in in_chunks(village_names):
                for staff_id, role, name, phone, region_id in (
                    through.objects.filter(
                        gridstaff__name__in=chunk,
                        gridstaff__role__in=[s.role for s in ROLE_SPECS if not s.shared],
                        grid__region_id__in=region_ids,
                    )
                    .values_list(
                        "gridstaff_id",
                        "gridstaff__role",
                        "gridstaff__name",
                        "gridstaff__work_phone",
                        "grid__region_id",
                    )
                    .order_by("gridstaff_id")
                ):
                    self.local.setdefault((role, region_id, name), (staff_id, phone))

    def find(self, spec, region_id, name, phone):
        """``(key, existing (id, phone) or None)`` for one person named by the sheet."""
        if not spec.shared:
            key = (spec.role, region_id, name)
            return key, self.local.get(key)
        candidates = self.shared.get((spec.role, name), [])
        if phone:
            match = next((c for c in candidates if c[1] == phone), None)
            return (spec.role, name, phone), match
        if len(candidates) == 1:
            return (spec.role, name, candidates[0][1]), candidates[0]
        return (spec.role, name, ""), None


def write_boards(plans):
    """Make each grid's board match ``plans``: [(grid id, village id, wanted, current board)].

    New people are inserted in bulk first, then the links; unlinking and phone
    changes are the only per-row statements.
    """
    through = GridStaff.grids.through
    people = _People(plans)
    links, unlink, phone_updates, to_create, known = set(), [], {}, {}, {}
    for grid_id, region_id, wanted, current in plans:
        for spec in ROLE_SPECS:
            if spec.role not in wanted:
                continue
            named = wanted[spec.role]
            on_board = {entry[2]: entry for entry in current if entry[1] == spec.role}
            names = {name for name, _phone in named}
            unlink.extend(
                (grid_id, entry[0]) for name, entry in on_board.items() if name not in names
            )
            for name, phone in named:
                entry = on_board.get(name)
                if entry is not None:
                    if phone and entry[3] != phone:
                        phone_updates[entry[0]] = phone
                    continue
                key, existing = people.find(spec, region_id, name, phone)
                if existing is not None:
                    known[key] = existing[0]
                    if phone and existing[1] != phone:
                        phone_updates[existing[0]] = phone
                elif key not in to_create:
                    to_create[key] = GridStaff(
                        name=name, role=spec.role, work_phone=phone or "", full_time=spec.full_time
                    )
                links.add((grid_id, key))
    created = list(to_create.items())
    GridStaff.objects.bulk_create([staff for _key, staff in created], batch_size=CHUNK)
    known.update((key, staff.pk) for key, staff in created)
    for grid_id, staff_id in unlink:
        through.objects.filter(grid_id=grid_id, gridstaff_id=staff_id).delete()
    through.objects.bulk_create(
        [through(grid_id=grid_id, gridstaff_id=known[key]) for grid_id, key in links],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    for staff_id, phone in phone_updates.items():
        GridStaff.objects.filter(pk=staff_id).update(work_phone=phone)
