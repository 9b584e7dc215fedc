"""The case admin: list and filters, inspect timeline, action buttons and forms, create/edit."""

import datetime
import re

import pytest
from django.utils import timezone

from portal.cases.models import Case, CaseCategory

from .helpers import shown, walk

INDEX = "/admin/cases/case/"


def inspect_url(case):
    return f"/admin/cases/case/inspect/{case.pk}/"


def action_url(case, action):
    return f"/admin/cases/case/action/{case.pk}/{action}/"


def numbers_in(response):
    return set(re.findall(r"AJ\d{10}", response.content.decode()))


@pytest.fixture
def listed(make_case, users, categories, tree):
    """A handful of cases that differ in one attribute each."""
    old = timezone.now() - datetime.timedelta(days=40)
    return {
        "overdue": make_case(title="楼道漏水无人管", reported_at=old),
        "dispute": make_case(title="邻里噪音纠纷", category=categories.dispute, source="visit"),
        "handling": walk(make_case(title="村道路灯损坏"), users.donghu2, "dispatch", "handle"),
        "xiling": make_case(title="西岭村道塌陷", grid=tree.grids.xiling, user=users.town),
        "escalated": walk(make_case(title="物业费纠纷"), users.donghu2, "escalate"),
        "baisha": make_case(title="白沙村违建", grid=tree.grids.baisha, user=users.baisha),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"overdue", "dispute", "handling", "xiling", "escalated"}),
        ("?status__exact=handling", {"handling"}),
        ("?source__exact=visit", {"dispute"}),
        ("?overdue=yes", {"overdue"}),
        ("?overdue=no", {"dispute", "handling", "xiling", "escalated"}),
        ("?tier__exact=village", {"escalated"}),
        ("?q=纠纷", {"dispute", "escalated"}),
        ("?q=村道", {"handling", "xiling"}),
    ],
)
def test_list_filters_and_search(client, users, listed, query, expected):
    client.force_login(users.town)
    response = client.get(INDEX + query)
    assert response.status_code == 200
    assert numbers_in(response) == {listed[key].number for key in expected}


def test_grid_village_category_and_month_filters(client, users, listed, tree, categories):
    client.force_login(users.town)
    by_grid = client.get(f"{INDEX}?grid={tree.grids.xiling.pk}")
    assert numbers_in(by_grid) == {listed["xiling"].number}
    by_village = client.get(f"{INDEX}?village={tree.xiling.pk}")
    assert numbers_in(by_village) == {listed["xiling"].number}
    by_category = client.get(f"{INDEX}?category__id__exact={categories.dispute.pk}")
    assert numbers_in(by_category) == {listed["dispute"].number}
    month = timezone.localdate(listed["overdue"].reported_at).strftime("%Y-%m")
    by_month = client.get(f"{INDEX}?month={month}")
    assert listed["overdue"].number in numbers_in(by_month)
    # The grid/village filters offer only the user's own regions.
    page = client.get(INDEX).content.decode()
    assert "东湖一网格" in page and "西岭一网格" in page and "白沙一网格" not in page


@pytest.mark.parametrize(
    "query", ["?month=2025-99", "?month=abc", "?grid=abc", "?category__id__exact=abc", "?o=x"]
)
def test_bad_filter_values_do_not_break_the_list(client, users, listed, query):
    client.force_login(users.town)
    response = client.get(INDEX + query)
    assert response.status_code == 200


def test_list_flags_and_counts_overdue_cases(client, users, listed):
    client.force_login(users.town)
    page = client.get(INDEX).content.decode()
    assert page.count("case-badge--overdue") == 2  # one row badge + the summary link
    assert "当前列表中超期未办结 1 件" in page
    row = re.search(rf"{listed['overdue'].number}.*?</tr>", page, re.S).group(0)
    assert "已超期" in row


def test_inspect_shows_fields_and_timeline(client, users, make_case):
    case = make_case(reporter_name="赵桂兰", reporter_phone="13912345678")
    walk(case, users.donghu2, "dispatch", "handle")
    services_note = "居民要求尽快处理"
    from portal.cases import services

    services.escalate(case, users.donghu2, services_note)
    client.force_login(users.town)
    page = client.get(inspect_url(case)).content.decode()
    assert case.number in page and "赵桂兰" in page and "13912345678" in page
    timeline = page[page.index("办理过程") :]
    for text in [
        "受理",
        "分拨",
        "处置",
        "上报升级",
        "层级：网格 → 村/社区",
        services_note,
        "donghu2",
    ]:
        assert text in timeline
    assert timeline.index("分拨至：社区物业办") < timeline.index(services_note)


def _action_buttons(page):
    return set(re.findall(r"/admin/cases/case/action/\d+/(\w+)/", page))


def test_inspect_offers_buttons_for_allowed_steps_only(client, users, make_case):
    case = make_case(user=users.donghu)
    client.force_login(users.donghu)
    assert _action_buttons(client.get(inspect_url(case)).content.decode()) == {
        "dispatch",
        "escalate",
    }
    walk(case, users.donghu, "dispatch", "handle")
    # 采办分离: the discoverer is offered no 办结 button…
    assert _action_buttons(client.get(inspect_url(case)).content.decode()) == {
        "return",
        "escalate",
    }
    # …while a colleague is.
    client.force_login(users.donghu2)
    assert _action_buttons(client.get(inspect_url(case)).content.decode()) == {
        "close",
        "return",
        "escalate",
    }
    walk(case, users.donghu2, "close", "visit", "rate")
    page = client.get(inspect_url(case)).content.decode()
    assert _action_buttons(page) == set()
    assert "您当前不能对该案件执行流转操作" in page


def test_action_post_runs_the_transition(client, users, make_case):
    case = walk(make_case(), users.donghu2, "dispatch", "handle")
    client.force_login(users.donghu2)
    response = client.post(
        action_url(case, "close"), {"close-resolution": "已清运完毕", **shown(case)}, follow=True
    )
    assert response.redirect_chain[-1][0] == inspect_url(case)
    assert "已办结，当前状态：办结" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "closed" and case.resolution == "已清运完毕"
    assert case.events.last().actor == users.donghu2


def test_action_with_missing_input_shows_chinese_error_and_changes_nothing(
    client, users, make_case, categories
):
    case = walk(make_case(category=categories.dispute), users.donghu2, "dispatch", "handle")
    client.force_login(users.donghu2)
    response = client.post(
        action_url(case, "close"), {"close-resolution": "", "close-mediated": "", **shown(case)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "办结必须填写处置结果" in page
    case.refresh_from_db()
    assert case.status == "handling" and case.closed_at is None

    response = client.post(
        action_url(case, "close"),
        {"close-resolution": "双方和解", "close-mediated": "1", **shown(case)},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.mediated is True


def test_action_not_allowed_now_is_refused(client, users, make_case):
    case = make_case(user=users.donghu)
    client.force_login(users.donghu2)
    response = client.get(action_url(case, "rate"), follow=True)
    assert "不能执行“评价”" in response.content.decode()
    response = client.post(
        action_url(case, "rate"), {"rate-satisfaction": "satisfied", **shown(case)}
    )
    assert response.status_code == 200
    assert "不能执行“评价”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"
    assert client.get(action_url(case, "archive")).status_code == 404


def test_action_get_shows_the_small_form(client, users, make_case):
    case = walk(make_case(), users.donghu2, "dispatch", "handle", "close", "visit")
    client.force_login(users.donghu2)
    page = client.get(action_url(case, "rate")).content.decode()
    assert 'name="rate-satisfaction"' in page and "基本满意" in page


def test_create_through_admin_goes_through_the_service(client, users, tree, categories):
    client.force_login(users.donghu)
    response = client.post(
        "/admin/cases/case/create/",
        {
            "title": "小区噪音扰民",
            "description": "夜间广场舞音响声音过大。",
            "category": categories.sanitation.pk,
            "source": "hotline_12345",
            "grid": tree.grids.donghu.pk,
            "place": "东湖小区中心广场",
            "reported_at": "2025-03-10 09:30",
            "reporter_name": "钱玉珍",
            "reporter_phone": "138 0000 1111",
            "public_summary": "",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == inspect_url(case)
    year = timezone.localtime(case.reported_at).year
    assert case.number == f"AJ{year}000001"
    assert case.village == tree.donghu
    assert case.deadline == case.reported_at + datetime.timedelta(days=7)
    assert case.discoverer == users.donghu
    assert case.reporter_phone == "13800001111"
    assert list(case.events.values_list("action", flat=True)) == ["create"]


def test_create_form_offers_only_grids_in_scope(client, users, tree, categories):
    client.force_login(users.donghu)
    page = client.get("/admin/cases/case/create/").content.decode()
    assert "东湖一网格" in page and "西岭一网格" not in page and "白沙一网格" not in page
    response = client.post(
        "/admin/cases/case/create/",
        {
            "title": "越权登记",
            "description": "x",
            "category": categories.sanitation.pk,
            "source": "visit",
            "grid": tree.grids.baisha.pk,
            "reported_at": "2025-03-10 09:30",
        },
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_create_with_rule_errors_shows_them_on_the_form(client, users, tree, categories):
    client.force_login(users.donghu)
    response = client.post(
        "/admin/cases/case/create/",
        {
            "title": "楼道漏水",
            "description": "x",
            "category": categories.sanitation.pk,
            "source": "visit",
            "grid": tree.grids.donghu.pk,
            "reported_at": "2025-03-10 09:30",
            "reporter_name": "孙丽娟",
            "is_public": "on",
            "public_summary": "孙丽娟反映楼道漏水",
        },
    )
    assert response.status_code == 200
    assert "公开摘要不得包含反映人姓名“孙丽娟”" in response.content.decode()
    assert not Case.objects.exists()


def test_edit_through_admin_recomputes_deadline(client, users, make_case, categories, tree):
    case = make_case()
    client.force_login(users.donghu)
    response = client.post(
        f"/admin/cases/case/edit/{case.pk}/",
        {
            "title": case.title,
            "description": case.description,
            "category": categories.dispute.pk,
            "source": case.source,
            "grid": tree.grids.donghu2.pk,
            "reported_at": timezone.localtime(case.reported_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.category == categories.dispute and case.grid == tree.grids.donghu2
    assert case.deadline == case.reported_at + datetime.timedelta(days=30)
    assert case.status == "accepted"


def test_delete_through_admin(client, users, make_case):
    case = make_case()
    client.force_login(users.town)
    response = client.post(f"/admin/cases/case/delete/{case.pk}/")
    assert response.status_code == 302
    assert not Case.objects.exists()


def test_dashboard_panels_show_scoped_figures_with_an_svg_chart(client, users, listed):
    client.force_login(users.donghu)
    page = client.get("/admin/").content.decode()
    for heading in ["案件办理状态", "本月办理成效", "超期案件"]:
        assert heading in page
    assert '<svg class="case-chart__svg"' in page
    assert "办结率" in page and "化解率" in page and "满意率" in page
    # 东湖 sees its four cases, not 西岭's or 白沙's.
    assert "辖区内共 <strong>4</strong> 件" in page
    assert listed["overdue"].number in page
    panels = page[page.index("cases-by-status") :]
    assert "<script" not in panels.split("</main>")[0]


def test_dashboard_panels_hidden_without_case_permission(client, users, listed):
    client.force_login(users.editor)
    page = client.get("/admin/").content.decode()
    assert "案件办理状态" not in page


def test_case_category_is_a_snippet(client, users, categories):
    client.force_login(users.county)
    response = client.get("/admin/snippets/cases/casecategory/")
    assert response.status_code == 200
    assert "矛盾纠纷" in response.content.decode()
    response = client.post(
        "/admin/snippets/cases/casecategory/add/",
        {"name": "消防安全", "code": "fire", "deadline_days": "3", "description": ""},
    )
    assert response.status_code == 302
    assert CaseCategory.objects.get(code="fire").deadline_days == 3
