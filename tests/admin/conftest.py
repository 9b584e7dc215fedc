"""A small but complete world for the admin crawl: every kind of thing a screen lists.

青石街道 (town) → 东湖社区 (village) → 东湖一网格; pages: home, notices, policies,
disclosure boards (town + village) with one of each; a grid worker, a volunteer
with a team, a service record and points, a case category and a case, a
document, and one user per role (built with ``portal.groups`` and the page
permissions/workflows exactly as a deployment builds them).
"""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from demo import regions as demo_regions
from portal import groups
from portal.cases import services
from portal.cases.models import CaseCategory
from portal.pages.models import (
    DisclosureCatalogItem,
    DisclosureIndexPage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)
from portal.pages.permissions import (
    committee_group_for,
    ensure_disclosure_workflows,
    ensure_page_permissions,
)
from portal.snippets import pii
from portal.snippets.models import (
    GridStaff,
    PointsEntry,
    ServiceRecord,
    VolunteerTeam,
)
from portal.snippets.workflow_setup import ensure_grid_workflow
from tests.factories import (
    document,
    finance_disclosure,
    make_staff,
    published_grid,
    sealed_volunteer,
    site_home,
    with_check_digit,
)


def _user(username, group_names=(), region=None, *, family, given, superuser=False):
    return make_staff(
        username,
        group_names,
        [region] if region is not None else [],
        superuser=superuser,
        email=f"{username}@example.org",
        last_name=family,
        first_name=given,
    )


@pytest.fixture
def admin_world(db):
    demo_regions.load(io.StringIO())
    town = demo_regions.demo_town()
    village = next(v for v in demo_regions.demo_villages() if v.name == "东湖社区")
    now = timezone.now()

    home = site_home(site_name="青石街道基层治理门户")
    notices = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    notices.add_child(
        instance=NoticePage(
            title="关于开展冬季消防安全检查的通知",
            slug="fire-check",
            issuing_unit="青石街道办事处",
            date=timezone.localdate(),
        )
    )
    policies = home.add_child(instance=PolicyIndexPage(title="政策文件", slug="policies"))
    policies.add_child(
        instance=PolicyPage(
            title="清河县城乡居民最低生活保障实施办法",
            slug="dibao",
            issuer="清河县人民政府办公室",
            level=PolicyPage.Level.COUNTY,
            issue_date=datetime.date(2025, 3, 1),
        )
    )
    boards = home.add_child(
        instance=DisclosureIndexPage(title="村务公开", slug="disclosures", region=town)
    )
    board = boards.add_child(
        instance=DisclosureIndexPage(title="东湖社区村务公开栏", slug="donghu", region=village)
    )
    DisclosureCatalogItem.objects.create(
        name="财务收支", kind="finance", frequency="month", due_day=10, active_from=now.date()
    )
    finance_disclosure(
        board,
        "东湖社区2026年3月财务收支公开",
        "finance-2026-03",
        "1000.00",
        [("income", "上级转移支付", "156.60")],
        period=("month", 2026, 3),
    )

    groups.ensure_groups()
    ensure_page_permissions(home)
    ensure_disclosure_workflows()
    ensure_grid_workflow()

    grid = published_grid(village, "411523001001001", "东湖一网格", households=420)
    staff = GridStaff.objects.create(
        name="王建国", role=GridStaff.Role.FULL_TIME, work_phone="0376-6123456"
    )
    staff.grids.add(grid)
    team = VolunteerTeam.objects.create(name="东湖巾帼志愿服务队", region=village)
    volunteer = sealed_volunteer(
        grid, "欧阳翊珩", with_check_digit("41152319850615001"), phone="13511112222"
    )
    volunteer.teams.add(team)
    ServiceRecord.objects.create(
        volunteer=volunteer,
        date=now.date(),
        hours=Decimal("2.5"),
        activity="敬老院清扫",
        team=team,
        verifier="张丽",
    )
    PointsEntry.objects.create(
        volunteer=volunteer, date=now.date(), kind="earned", points=5, reason="敬老院清扫"
    )

    document("消防检查表", "check.csv", "项目,结果\n灭火器,合格\n".encode())

    committee = committee_group_for(village)
    users = SimpleNamespace(
        superuser=_user("root", superuser=True, family="赵", given="国强"),
        town_admin=_user("town", [groups.TOWN_ADMIN], town, family="钱", given="立平"),
        editor=_user("editor", [groups.EDITOR], town, family="李", given="晓梅"),
        committee=_user(
            "jw_donghu",
            [groups.SUPERVISION_COMMITTEE, committee],
            village,
            family="陈",
            given="立新",
        ),
        grid_worker=_user("worker", [groups.GRID_WORKER], village, family="孙", given="海燕"),
    )
    category = CaseCategory.objects.create(name="环境卫生", code="sanitation", deadline_days=7)
    services.create_case(
        user=users.grid_worker,
        title="楼道堆放杂物",
        description="3号楼楼道长期堆放纸箱，存在消防隐患。",
        category=category,
        source="grid_worker",
        grid=grid,
    )
    _care_records(town, grid, users, now)
    return SimpleNamespace(home=home, village=village, town=town, grid=grid, users=users)


def _care_records(town, grid, users, now):
    """One of each care record, so that the crawl reaches every care screen."""
    from portal.care import services as care_services
    from portal.care.models import CareObject, GridRankingWeights, VisitCadence, VisitWarning

    first17 = "41152319400309002"
    person = CareObject(grid=grid, kind="alone_elderly", name="钱守义", phone="13899990001")
    care_services.seal_id_number(person, first17 + pii.id_check_code(first17))
    person.save()
    visit, _ = care_services.record_visit(users.grid_worker, person, needs="需要助餐")
    care_services.start_round(users.grid_worker, grid)
    VisitCadence.objects.create(town=town, kind="alone_elderly", days=5)
    GridRankingWeights.objects.create(town=town)
    VisitWarning.objects.create(care_object=person, date=now.date(), level="overdue")
