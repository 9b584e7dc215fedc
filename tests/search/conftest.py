"""Fixtures for the search tests: a small region tree, categories and real cases.

Cases are created through ``portal.cases.services.create_case`` — the same door
the admin, API and importer use — so every case reaches the index the way it
does in production (``search.indexing.cases_changed`` inside the transaction).

清河县 → 青石街道 → 东湖社区 (东湖一网格), 西岭村 (西岭一网格)
       → 白沙镇   → 白沙村 (白沙一网格)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from portal.cases import services
from portal.cases.models import CaseCategory
from portal.snippets.models import Grid
from search import synonyms
from tests.factories import make_staff, region_tree


@pytest.fixture
def tree(db):
    tree = region_tree()
    donghu, xiling, baisha = tree.donghu, tree.xiling, tree.baisha
    grids = SimpleNamespace(
        donghu=Grid.objects.create(code="411523001001001", name="东湖一网格", region=donghu),
        xiling=Grid.objects.create(code="411523001201001", name="西岭一网格", region=xiling),
        baisha=Grid.objects.create(code="411523002201001", name="白沙一网格", region=baisha),
    )
    tree.grids = grids
    return tree


@pytest.fixture
def categories(db):
    return SimpleNamespace(
        dispute=CaseCategory.objects.create(name="矛盾纠纷", code="dispute", is_dispute=True),
        property=CaseCategory.objects.create(name="物业管理", code="property"),
        safety=CaseCategory.objects.create(name="安全隐患", code="safety"),
        labour=CaseCategory.objects.create(name="劳动保障", code="labour"),
        welfare=CaseCategory.objects.create(name="社会救助", code="welfare"),
    )


@pytest.fixture
def starter_synonyms(db):
    synonyms.ensure_starter_synonyms()


def make_case(grid, category, title, description, *, summary="", public=True, **extra):
    """Create a case through the case services (so it is indexed like any other)."""
    fields = {
        "title": title,
        "description": description,
        "category": category,
        "source": extra.pop("source", "grid_worker"),
        "grid": grid,
        "is_public": public,
        "public_summary": summary if summary or not public else title + "。已转交有关部门办理。",
        "reported_at": extra.pop("reported_at", timezone.now() - datetime.timedelta(days=3)),
    }
    fields.update(extra)
    return services.create_case(user=None, **fields)


@pytest.fixture
def cases(tree, categories, starter_synonyms):
    """A dozen cases with the generic words every report shares (村民, 反映, 问题)."""
    g, c = tree.grids, categories
    made = SimpleNamespace()
    made.ebike = make_case(
        g.donghu,
        c.safety,
        "楼道电动车充电存在火灾隐患",
        "村民反映3号楼楼道内有住户长期停放电动车并私拉电线充电，存在消防安全问题。",
        summary="东湖社区某小区楼道内停放电动车并充电，存在火灾隐患，已劝导清理。",
    )
    made.leak = make_case(
        g.donghu,
        c.property,
        "楼上卫生间漏水",
        "居民反映楼上住户卫生间漏水，导致自家天花板发霉，多次协商未果。反映人王秀英。",
        summary="居民反映楼上卫生间漏水影响楼下住户，社区已协调维修。",
        reporter_name="王秀英",
        reporter_phone="13800138000",
    )
    made.fee = make_case(
        g.donghu,
        c.property,
        "物业费收取标准不透明",
        "多名业主反映小区物业费上涨但未公示收费依据，要求物业公开明细。",
        summary="业主对物业费上涨有疑问，社区已组织物业公开收费明细。",
        source="hotline_12345",
    )
    made.wages = make_case(
        g.xiling,
        c.labour,
        "工地拖欠农民工工资",
        "村民反映某建筑工地拖欠十余名农民工工资近三个月，要求尽快解决。",
        summary="某工地拖欠农民工工资，已移交劳动监察部门处理。",
        source="hotline_12345",
    )
    made.noise = make_case(
        g.xiling,
        c.dispute,
        "广场舞噪声扰民",
        "村民反映村文化广场每晚跳广场舞音响声音过大，影响周边住户休息。",
        summary="文化广场晚间音响声音过大，已协调调低音量并限定时间。",
    )
    made.dibao = make_case(
        g.xiling,
        c.welfare,
        "申请最低生活保障",
        "村民因病致贫，反映家庭困难，咨询如何申请最低生活保障。",
        summary="困难家庭咨询最低生活保障申请流程，已上门指导。",
    )
    made.homestead = make_case(
        g.baisha,
        c.dispute,
        "宅基地边界纠纷",
        "两户村民因宅基地边界问题发生争执，请求村委会调解。",
        summary="两户村民宅基地边界有争议，村调解委员会已调解。",
    )
    made.private = make_case(
        g.donghu,
        c.dispute,
        "邻里因漏水发生争吵",
        "住户李建国反映楼上装修导致漏水，双方发生争吵。",
        public=False,
    )
    made.traditional = make_case(
        g.baisha,
        c.property,
        "物業費催繳通知有誤",
        "居民反映收到的物業費催繳通知金額有誤。",
        summary="物業費催繳通知金額有誤，已核對更正。",
    )
    return made


@pytest.fixture
def staff_user(tree):
    """A 村社区工作人员 with admin access, assigned to 东湖社区 only."""
    user = make_staff("donghu", regions=[tree.donghu])
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def superuser(db):
    return make_staff("root", superuser=True)
