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
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal import groups
from portal.cases import services
from portal.cases.models import CaseCategory
from portal.snippets.models import Grid, Region, StaffRegion


@pytest.fixture
def tree(db):
    county = Region.objects.create(name="清河县", level="county", code="411523000000")
    town = Region.objects.create(name="青石街道", level="town", parent=county, code="411523001000")
    other_town = Region.objects.create(
        name="白沙镇", level="town", parent=county, code="411523002000"
    )
    donghu = Region.objects.create(
        name="东湖社区", level="village", parent=town, code="411523001001"
    )
    xiling = Region.objects.create(name="西岭村", level="village", parent=town, code="411523001201")
    baisha = Region.objects.create(
        name="白沙村", level="village", parent=other_town, code="411523002201"
    )
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
    return SimpleNamespace(
        county=county,
        town=town,
        other_town=other_town,
        donghu=donghu,
        xiling=xiling,
        baisha=baisha,
        grids=grids,
    )


@pytest.fixture
def categories(db):
    return SimpleNamespace(
        dispute=CaseCategory.objects.create(
            name="矛盾纠纷", code="dispute", deadline_days=30, is_dispute=True
        ),
        sanitation=CaseCategory.objects.create(name="环境卫生", code="sanitation", deadline_days=7),
    )


def _staff(username, group, region, *, groups_by_name):
    user = get_user_model().objects.create_user(username=username, password="pw")
    if group:
        user.groups.add(groups_by_name[group])
    if region is not None:
        StaffRegion.objects.create(user=user, region=region)
    return user


@pytest.fixture
def users(tree):
    by_name = groups.ensure_groups()
    return SimpleNamespace(
        root=get_user_model().objects.create_superuser(username="root", password="pw"),
        county=_staff("county", groups.COUNTY_ADMIN, tree.county, groups_by_name=by_name),
        town=_staff("town", groups.TOWN_ADMIN, tree.town, groups_by_name=by_name),
        donghu=_staff("donghu", groups.VILLAGE_STAFF, tree.donghu, groups_by_name=by_name),
        donghu2=_staff("donghu2", groups.VILLAGE_STAFF, tree.donghu, groups_by_name=by_name),
        xiling=_staff("xiling", groups.GRID_WORKER, tree.xiling, groups_by_name=by_name),
        baisha=_staff("baisha", groups.TOWN_ADMIN, tree.other_town, groups_by_name=by_name),
        unassigned=_staff("unassigned", groups.VILLAGE_STAFF, None, groups_by_name=by_name),
        editor=_staff("editor", groups.EDITOR, tree.town, groups_by_name=by_name),
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
