"""Fixtures for the case tests: a small region tree, grids, categories and staff.

清河县 → 青石街道 → 东湖社区 (grid 东湖一网格), 西岭村 (grid 西岭一网格)
       → 白沙镇   → 白沙村   (grid 白沙一网格)

Staff (groups from portal.groups, regions through StaffRegion):
county (区县管理员 @ 清河县), town (乡镇街道管理员 @ 青石街道),
donghu (村社区工作人员 @ 东湖社区), donghu2 (村社区工作人员 @ 东湖社区),
xiling (网格员 @ 西岭村), baisha (乡镇街道管理员 @ 白沙镇),
unassigned (村社区工作人员, no region), editor (宣传编辑 @ 青石街道), root (superuser).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from portal import groups
from portal.cases import services
from portal.snippets.models import Grid
from tests.factories import dispute_and_sanitation, make_staff, region_tree


@pytest.fixture
def tree(db):
    tree = region_tree()
    donghu, xiling, baisha = tree.donghu, tree.xiling, tree.baisha
    grids = SimpleNamespace(
        donghu=Grid.objects.create(code="411523001001001", name="东湖一网格", region=donghu),
        donghu2=Grid.objects.create(code="411523001001002", name="东湖二网格", region=donghu),
        xiling=Grid.objects.create(
            code="411523001201001", name="西岭一网格", region=xiling, grid_type="rural"
        ),
        baisha=Grid.objects.create(
            code="411523002201001", name="白沙一网格", region=baisha, grid_type="rural"
        ),
    )
    tree.grids = grids
    return tree


@pytest.fixture
def categories(db):
    return dispute_and_sanitation()


@pytest.fixture
def users(tree):
    groups.ensure_groups()
    return SimpleNamespace(
        root=make_staff("root", superuser=True),
        county=make_staff("county", [groups.COUNTY_ADMIN], [tree.county]),
        town=make_staff("town", [groups.TOWN_ADMIN], [tree.town]),
        donghu=make_staff("donghu", [groups.VILLAGE_STAFF], [tree.donghu]),
        donghu2=make_staff("donghu2", [groups.VILLAGE_STAFF], [tree.donghu]),
        xiling=make_staff("xiling", [groups.GRID_WORKER], [tree.xiling]),
        baisha=make_staff("baisha", [groups.TOWN_ADMIN], [tree.other_town]),
        unassigned=make_staff("unassigned", [groups.VILLAGE_STAFF]),
        editor=make_staff("editor", [groups.EDITOR], [tree.town]),
    )


@pytest.fixture
def make_case(tree, categories, users):
    """Create a case through the service; ``user`` defaults to the 东湖 worker."""

    def make(**fields):
        user = fields.pop("user", users.donghu)
        defaults = {
            "title": "楼道堆放杂物",
            "description": "3号楼楼道长期堆放纸箱，存在消防隐患。",
            "category": categories.sanitation,
            "source": "grid_worker",
            "grid": tree.grids.donghu,
        }
        defaults.update(fields)
        return services.create_case(user=user, **defaults)

    return make


@pytest.fixture
def a_while_ago():
    return timezone.now() - datetime.timedelta(days=60)
