"""Demo grids and their staff: 8 grids in each of the 4 demo villages.

Codes are the village's 12-digit code plus a 3-digit sequence. Some grids are
deliberately above the provincial household norm so the "超规模" flag shows.
Idempotent: only grids whose code is missing are created, and staff only for
a run that created grids.
"""

from django.utils import timezone

from demo import people as demo_people
from demo import regions as demo_regions
from portal.snippets.models import Grid, GridStaff, Region

GRIDS_PER_VILLAGE = 8
GRID_NAMES = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def _grid_rows(rng, village, now):
    urban = village.name.endswith("社区")
    grid_type = Grid.GridType.URBAN if urban else Grid.GridType.RURAL
    norm = Grid.HOUSEHOLD_NORM[grid_type]
    rows = []
    for seq in range(1, GRIDS_PER_VILLAGE + 1):
        kind = grid_type
        name = f"{village.name}第{GRID_NAMES[seq - 1]}网格"
        if seq == GRIDS_PER_VILLAGE and urban:
            kind, name = Grid.GridType.SPECIAL, f"{village.name}商圈专属网格"
        # Every village has one oversized grid (seq 3); the rest sit within the norm.
        households = norm + rng.randint(30, 160) if seq == 3 else rng.randint(norm // 2, norm)
        rows.append(
            Grid(
                code=f"{village.code}{seq:03d}",
                name=name,
                region=village,
                grid_type=kind,
                households=households,
                population=int(households * rng.uniform(2.4, 3.2)),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
    return rows


def load(stdout):
    rng = demo_people.make_rng("grids")
    now = timezone.now()
    villages = demo_regions.demo_villages()
    wanted = [row for village in villages for row in _grid_rows(rng, village, now)]
    existing = set(
        Grid.objects.filter(code__in=[g.code for g in wanted]).values_list("code", flat=True)
    )
    missing = [g for g in wanted if g.code not in existing]
    if not missing:
        stdout.write(f"网格：已存在 {len(wanted)} 个，跳过")
        return
    Grid.objects.bulk_create(missing)
    created = list(Grid.objects.filter(code__in=[g.code for g in missing]).select_related("region"))
    staff_count = _load_staff(rng, created)
    stdout.write(f"网格：新建 {len(created)} 个，网格工作人员 {staff_count} 名")


def _load_staff(rng, grids):
    """One leader and one instructor per village, a full-time worker per grid, some part-timers."""
    by_village = {}
    for grid in grids:
        by_village.setdefault(grid.region_id, []).append(grid)
    plan = []  # (GridStaff, [grids])
    for village_grids in by_village.values():
        village_grids.sort(key=lambda g: g.code)
        plan.append((GridStaff(role=GridStaff.Role.LEADER, party_member=True), village_grids))
        plan.append(
            (
                GridStaff(role=GridStaff.Role.INSTRUCTOR, party_member=True, full_time=False),
                village_grids[:5],
            )
        )
        for index, grid in enumerate(village_grids):
            plan.append((GridStaff(role=GridStaff.Role.FULL_TIME), [grid]))
            if index % 2 == 0:
                plan.append((GridStaff(role=GridStaff.Role.PART_TIME, full_time=False), [grid]))
    names = demo_people.staff_names(rng, len(plan))
    for (person, _), name in zip(plan, names, strict=True):
        person.name = name
        person.work_phone = demo_people.staff_phone(rng)
        if person.role != GridStaff.Role.LEADER:
            person.party_member = rng.random() < 0.4
    GridStaff.objects.bulk_create([person for person, _ in plan])
    through = GridStaff.grids.through
    through.objects.bulk_create(
        [
            through(gridstaff_id=person.pk, grid_id=grid.pk)
            for person, covered in plan
            for grid in covered
        ]
    )
    return len(plan)


def demo_grids():
    return Grid.objects.filter(region__in=Region.objects.filter(parent=demo_regions.demo_town()))
