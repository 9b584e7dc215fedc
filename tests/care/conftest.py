"""A small world for the care tests.

清河县 → 青石街道 (town A) → 东湖社区 (grid A: 东湖第一网格), 西岭村 (grid B: 西岭第一网格)
       → 白沙镇 (town B)   → 白沙村 (grid C: 白沙第一网格)

Users: worker_a (网格员 @ 东湖社区), worker_b (网格员 @ 西岭村), town_a admin, town_b admin,
root (superuser), nobody (网格员 without a region).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from portal import groups
from portal.care import services
from portal.care.models import CareObject, GridRankingWeights, Round, Visit
from portal.cases.models import Case, CaseCategory
from portal.cases.services import create_case
from tests.factories import region_tree
from tests.registers.conftest import make_grid, make_user, valid_id

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def local(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_care_object(grid, name, seq, kind=CareObject.Kind.ALONE_ELDERLY, created_at=None, **extra):
    care_object = CareObject(
        grid=grid,
        name=name,
        kind=kind,
        created_at=created_at or timezone.now(),
        phone=extra.pop("phone", "13812345678"),
        address=extra.pop("address", "东湖路18号3单元201"),
        **extra,
    )
    services.seal_id_number(care_object, valid_id(seq, born=datetime.date(1940, 3, 9)))
    care_object.save()
    return care_object


@pytest.fixture
def care(db):
    groups.ensure_groups()
    tree = region_tree(
        other_town=("白沙镇", "411523101000"), other_village=("白沙村", "411523101201")
    )
    county, town_a, town_b = tree.county, tree.town, tree.other_town
    x, y, z = tree.donghu, tree.xiling, tree.baisha
    grid_a = make_grid(x, "411523001001001", "东湖第一网格")
    grid_b = make_grid(y, "411523001201001", "西岭第一网格")
    grid_c = make_grid(z, "411523101201001", "白沙第一网格")
    category = CaseCategory.objects.create(name="民生服务", code="livelihood", deadline_days=10)
    return SimpleNamespace(
        county=county,
        town_a=town_a,
        town_b=town_b,
        x=x,
        y=y,
        z=z,
        grid_a=grid_a,
        grid_b=grid_b,
        grid_c=grid_c,
        category=category,
        worker_a=make_user("worker_a", groups.GRID_WORKER, [x]),
        worker_b=make_user("worker_b", groups.GRID_WORKER, [y]),
        town_admin_a=make_user("town_a", groups.TOWN_ADMIN, [town_a]),
        town_admin_b=make_user("town_b", groups.TOWN_ADMIN, [town_b]),
        root=make_user("root", superuser=True),
        nobody=make_user("nobody", groups.GRID_WORKER, []),
    )


def _case(care, grid, day, *, source=Case.Source.GRID_WORKER, closed=None, satisfaction="", **kw):
    fields = {
        "title": f"事件{day}",
        "description": "描述",
        "category": care.category,
        "source": source,
        "grid": grid,
        "reported_at": local(2026, 11, day, 9),
        **kw,
    }
    if closed:
        fields.update(
            status=Case.Status.RATED if satisfaction else Case.Status.CLOSED,
            resolution="已处理",
            closed_at=local(2026, 11, closed, 17),
            satisfaction=satisfaction,
        )
    return create_case(user=None, **fields)


@pytest.fixture
def november(care):
    GridRankingWeights.objects.create(
        town=care.town_a,
        rounds=10,
        visit_completion=40,
        cases_reported=10,
        closed_on_time=30,
        satisfaction=10,
    )
    for day in range(1, 16):
        Round.objects.create(
            grid=care.grid_a,
            worker=care.worker_a,
            date=datetime.date(2026, 11, day),
            started_at=local(2026, 11, day, 8),
        )
    Round.objects.create(
        grid=care.grid_a,
        worker=care.root,
        date=datetime.date(2026, 11, 1),
        started_at=local(2026, 11, 1, 14),
    )
    for day in range(1, 31):
        Round.objects.create(
            grid=care.grid_b,
            worker=care.worker_b,
            date=datetime.date(2026, 11, day),
            started_at=local(2026, 11, day, 8),
        )
    # a round in October and one in December do not count
    Round.objects.create(grid=care.grid_a, worker=care.worker_a, date=datetime.date(2026, 10, 31))
    reg = local(2026, 10, 1)
    p1 = make_care_object(care.grid_a, "甲", 1, kind=CareObject.Kind.ALONE_ELDERLY, created_at=reg)
    p2 = make_care_object(care.grid_a, "乙", 2, kind=CareObject.Kind.EMPTY_NEST, created_at=reg)
    make_care_object(
        care.grid_a, "丙", 3, kind=CareObject.Kind.HARDSHIP, created_at=local(2026, 11, 16)
    )
    for day in (2, 9, 16, 23, 30):
        Visit.objects.create(
            care_object=p1, worker=care.worker_a, visited_at=local(2026, 11, day, 22)
        )
    Visit.objects.create(care_object=p2, worker=care.worker_a, visited_at=local(2026, 11, 5))
    Visit.objects.create(care_object=p2, worker=care.worker_a, visited_at=local(2026, 10, 20))
    Visit.objects.create(care_object=p1, worker=care.worker_a, visited_at=local(2026, 12, 1, 0, 30))
    a = care.grid_a
    _case(
        care,
        a,
        3,
        closed=10,
        satisfaction=Case.Satisfaction.SATISFIED,
        discoverer=care.worker_a,
        handler=care.worker_b,
    )
    _case(
        care,
        a,
        3,
        closed=20,
        satisfaction=Case.Satisfaction.UNSATISFIED,
        discoverer=care.worker_a,
        handler=care.worker_b,
    )
    _case(care, a, 8, discoverer=care.worker_a)
    _case(care, a, 4, source=Case.Source.HOTLINE, closed=6)
    _case(care, care.grid_b, 12, discoverer=care.worker_b)
    return care
