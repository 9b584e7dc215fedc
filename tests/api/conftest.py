"""Fixtures for the API tests: a small region tree, grids with staff, categories,
public and private cases, and staff users with Wagtail API tokens.

清河县 → 青石街道 → 东湖社区 (东湖一网格, urban, with a boundary), 西岭村 (西岭一网格, rural)
       → 白沙镇   → 白沙村 (白沙一网格)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import APIToken

from portal.cases.models import Case
from portal.snippets.models import Grid, GridStaff
from tests.factories import dispute_and_sanitation, make_staff, region_tree

# Private values that must never appear in any public response.
REPORTER_NAME = "钱多多"
REPORTER_PHONE = "13912345678"
HOME_PLACE = "东湖小区7栋2单元301室"
PRIVATE_TITLE = "反映人家中漏水"
PRIVATE_DESCRIPTION = "钱多多家楼上漏水，情况严重"


@pytest.fixture
def tree(db):
    tree = region_tree()
    donghu, xiling, baisha = tree.donghu, tree.xiling, tree.baisha
    square = {
        "type": "Polygon",
        "coordinates": [
            [[114.0, 32.0], [114.02, 32.0], [114.02, 32.02], [114.0, 32.02], [114.0, 32.0]]
        ],
    }
    grids = SimpleNamespace(
        donghu=Grid.objects.create(
            code="411523001001001",
            name="东湖一网格",
            region=donghu,
            households=420,
            population=1100,
            boundary=square,
        ),
        xiling=Grid.objects.create(
            code="411523001201001",
            name="西岭一网格",
            region=xiling,
            grid_type="rural",
            households=260,
        ),
        baisha=Grid.objects.create(
            code="411523002201001", name="白沙一网格", region=baisha, grid_type="rural"
        ),
    )
    leader = GridStaff.objects.create(name="李网长", role="leader", work_phone="0394-1234567")
    leader.grids.add(grids.donghu)
    worker = GridStaff.objects.create(name="王专职", role="full_time", work_phone="13800000001")
    worker.grids.add(grids.donghu)
    instructor = GridStaff.objects.create(
        name="赵指导", role="instructor", work_phone="13800000002"
    )
    instructor.grids.add(grids.donghu, grids.xiling)
    tree.grids = grids
    return tree


@pytest.fixture
def categories(db):
    return dispute_and_sanitation("邻里纠纷")


SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def make_case(tree, categories):
    """A case written straight to the table, so tests can set any status and date."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        grid = fields.pop("grid", tree.grids.donghu)
        reported_at = fields.pop("reported_at", at(2025, 3, 10))
        defaults = {
            "number": f"AJ2025{next(counter):06d}",
            "title": PRIVATE_TITLE,
            "description": PRIVATE_DESCRIPTION,
            "category": categories.sanitation,
            "source": Case.Source.GRID_WORKER,
            "grid": grid,
            "village": grid.region,
            "place": HOME_PLACE,
            "reporter_name": REPORTER_NAME,
            "reporter_phone": REPORTER_PHONE,
            "handler_unit": "青石街道城管中队",
            "reported_at": reported_at,
            "deadline": reported_at + datetime.timedelta(days=7),
        }
        defaults.update(fields)
        return Case.objects.create(**defaults)

    return make


@pytest.fixture
def cases(make_case, tree, categories):
    """Three public cases (open, closed, dispute) and one private one."""
    return SimpleNamespace(
        public_open=make_case(
            is_public=True,
            public_summary="东湖社区某楼道堆放杂物，已安排清理。",
            status=Case.Status.HANDLING,
        ),
        public_closed=make_case(
            is_public=True,
            public_summary="西岭村道路积水已疏通。",
            status=Case.Status.RATED,
            grid=tree.grids.xiling,
            reported_at=at(2025, 4, 2),
            closed_at=at(2025, 4, 5),
            satisfaction=Case.Satisfaction.SATISFIED,
        ),
        public_dispute=make_case(
            is_public=True,
            public_summary="两户邻居因停车位发生纠纷，经调解达成一致。",
            status=Case.Status.CLOSED,
            category=categories.dispute,
            reported_at=at(2025, 4, 20),
            closed_at=at(2025, 4, 25),
            mediated=True,
        ),
        private=make_case(status=Case.Status.ACCEPTED, reported_at=at(2025, 4, 21)),
        other_town=make_case(is_public=False, grid=tree.grids.baisha, reported_at=at(2025, 4, 22)),
    )


@pytest.fixture
def staff_group(db):
    """A group that may use the admin and view cases (like the village staff)."""
    group = Group.objects.create(name="API测试组")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="view_case", content_type__app_label="cases"),
    )
    return group


@pytest.fixture
def staff(tree, staff_group):
    return SimpleNamespace(
        donghu=make_staff("donghu", [staff_group], [tree.donghu]),
        town=make_staff("town", [staff_group], [tree.town]),
        nowhere=make_staff("nowhere", [staff_group]),
        root=make_staff("root", superuser=True),
    )


@pytest.fixture
def token_for():
    def make(user, name="脚本"):
        _token, plaintext = APIToken.create_token(user=user, name=name)
        return plaintext

    return make


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def now():
    return timezone.now()
