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
from portal.care.models import CareObject
from portal.cases.models import CaseCategory
from portal.snippets.models import Region
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
    county = Region.objects.create(name="清河县", level=Region.Level.COUNTY, code="411523000000")
    town_a = Region.objects.create(
        name="青石街道", level=Region.Level.TOWN, parent=county, code="411523001000"
    )
    town_b = Region.objects.create(
        name="白沙镇", level=Region.Level.TOWN, parent=county, code="411523101000"
    )
    x = Region.objects.create(
        name="东湖社区", level=Region.Level.VILLAGE, parent=town_a, code="411523001001"
    )
    y = Region.objects.create(
        name="西岭村", level=Region.Level.VILLAGE, parent=town_a, code="411523001201"
    )
    z = Region.objects.create(
        name="白沙村", level=Region.Level.VILLAGE, parent=town_b, code="411523101201"
    )
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
