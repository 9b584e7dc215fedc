"""Public registers as JSON: grids with staff, case statistics, disclosure compliance."""

import datetime
import json

import pytest

from portal.cases.models import Case
from portal.snippets.models import Grid

from .conftest import PRIVATE_DESCRIPTION, PRIVATE_TITLE, REPORTER_NAME, REPORTER_PHONE, at

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()
    return json.loads(response.content)


def test_regions_tree(client, tree):
    data = get_json(client, "/api/registers/regions/")
    villages = {r["name"]: r for r in data if r["level"] == "village"}
    assert set(villages) == {"东湖社区", "西岭村", "白沙村"}
    assert villages["东湖社区"]["parent_id"] == tree.town.pk
    assert villages["东湖社区"]["level_label"] == "村/社区"


def test_grids_with_public_staff_fields_only(client, tree):
    data = get_json(client, "/api/registers/grids/?village=东湖社区")
    assert data["count"] == 1
    grid = data["results"][0]
    assert grid["code"] == "411523001001001"
    assert grid["village"] == "东湖社区"
    assert grid["town"] == "青石街道"
    assert grid["grid_type_label"] == "城市网格"
    assert grid["households"] == 420
    assert set(grid) == {
        "code",
        "name",
        "village_id",
        "village",
        "town",
        "coverage",
        "grid_type",
        "grid_type_label",
        "households",
        "staff",
    }
    assert [(s["role_label"], s["name"], s["work_phone"]) for s in grid["staff"]] == [
        ("网格长", "李网长", "0394-1234567"),
        ("专职网格员", "王专职", "13800000001"),
        ("网格指导员", "赵指导", "13800000002"),
    ]
    for member in grid["staff"]:
        assert set(member) == {"role", "role_label", "name", "work_phone"}


def test_grid_filters_by_town_id_type_and_paging(client, tree):
    assert get_json(client, f"/api/registers/grids/?town={tree.town.pk}")["count"] == 2
    assert get_json(client, "/api/registers/grids/?town=白沙镇")["count"] == 1
    rural = get_json(client, "/api/registers/grids/?type=农村网格")
    assert {g["name"] for g in rural["results"]} == {"西岭一网格", "白沙一网格"}
    page = get_json(client, "/api/registers/grids/?page_size=2&page=2")
    assert page["count"] == 3 and len(page["results"]) == 1


def test_unpublished_grid_is_not_public(client, tree):
    Grid.objects.filter(pk=tree.grids.xiling.pk).update(live=False)
    codes = {g["code"] for g in get_json(client, "/api/registers/grids/")["results"]}
    assert tree.grids.xiling.code not in codes
    get_json(client, f"/api/registers/grids/{tree.grids.xiling.code}/", status=404)


def test_grid_detail(client, tree):
    data = get_json(client, f"/api/registers/grids/{tree.grids.xiling.code}/")
    assert data["name"] == "西岭一网格"
    assert [s["name"] for s in data["staff"]] == ["赵指导"]  # the shared instructor


@pytest.mark.parametrize(
    ("query", "field", "fragment"),
    [
        ("village=不存在村", "village", "不存在村"),
        ("town=白沙镇&village=东湖社区", "village", "不属于"),
        ("type=城中村", "type", "城中村"),
    ],
)
def test_bad_grid_filters_are_400_in_chinese(client, tree, query, field, fragment):
    data = get_json(client, f"/api/registers/grids/?{query}", status=400)
    assert fragment in data[field][0]


def test_case_statistics_count_all_cases_but_show_no_text(client, cases):
    data = get_json(client, "/api/registers/case-stats/?town=青石街道")
    # every case of the town, public or not (counts are not personal data)
    assert data["total"] == 4
    by_status = {row["status"]: row["count"] for row in data["by_status"]}
    assert by_status == {
        "accepted": 1,
        "dispatched": 0,
        "handling": 1,
        "closed": 1,
        "visited": 0,
        "rated": 1,
    }
    assert {row["label"] for row in data["by_status"]} >= {"受理", "评价"}
    assert {c["name"]: c["count"] for c in data["by_category"]} == {"环境卫生": 3, "邻里纠纷": 1}
    assert data["closure_rate"] == 0.5
    assert data["mediation_rate"] == 1.0
    assert data["satisfaction_rate"] == 1.0
    body = json.dumps(data, ensure_ascii=False)
    for secret in (PRIVATE_TITLE, PRIVATE_DESCRIPTION, REPORTER_NAME, REPORTER_PHONE):
        assert secret not in body


def test_case_statistics_per_village_and_month(client, cases):
    data = get_json(client, "/api/registers/case-stats/?village=东湖社区&month=2025-04")
    assert (data["village"], data["town"], data["month"]) == ("东湖社区", "青石街道", "2025-04")
    assert data["total"] == 2  # the dispute and the private case; March's is outside
    assert data["satisfaction_rate"] is None  # nobody rated: no data, not 0
    bad = get_json(client, "/api/registers/case-stats/?month=2025-13", status=400)
    assert "2025-13" in bad["month"][0]


def test_monthly_counts_per_village(client, make_case, tree):
    today = datetime.date.today()
    make_case(reported_at=at(today.year, today.month, 1))
    make_case(reported_at=at(today.year, today.month, 1), status=Case.Status.CLOSED)
    data = get_json(client, "/api/registers/case-stats/monthly/?months=3&town=青石街道")
    assert len(data["months"]) == 3
    assert data["months"][-1] == f"{today.year:04d}-{today.month:02d}"
    donghu = next(v for v in data["villages"] if v["name"] == "东湖社区")
    assert donghu["counts"][-1] == 2 and donghu["closed"][-1] == 1
    get_json(client, "/api/registers/case-stats/monthly/?months=99", status=400)


@pytest.fixture
def monthly_item(tree):
    from portal.pages.models import DisclosureCatalogItem

    return DisclosureCatalogItem.objects.create(
        name="财务收支明细",
        kind="finance",
        frequency="month",
        due_day=10,
        active_from=datetime.date(2025, 1, 1),
    )


def test_disclosure_compliance_by_village_and_period(client, tree, monthly_item):
    data = get_json(client, "/api/registers/disclosure-compliance/?village=东湖社区&period=2025Q1")
    assert [v["name"] for v in data["villages"]] == ["东湖社区"]
    summary = data["villages"][0]
    # nothing was published for January–March 2025: all three months missing
    assert (summary["missing"], summary["on_time"], summary["on_time_rate"]) == (3, 0, 0)
    assert data["count"] == 3
    assert [e["period"] for e in data["entries"]] == ["2025年1月", "2025年2月", "2025年3月"]
    first = data["entries"][0]
    assert first["due"] == "2025-02-10"
    assert (first["status"], first["status_label"]) == ("missing", "缺失")
    assert first["published_on"] is None


def test_disclosure_compliance_filters_and_errors(client, tree, monthly_item):
    data = get_json(
        client,
        "/api/registers/disclosure-compliance/?town=青石街道&period=2025-02&page_size=1",
    )
    assert {v["name"] for v in data["villages"]} == {"东湖社区", "西岭村"}
    assert data["count"] == 2 and len(data["entries"]) == 1
    bad = get_json(client, "/api/registers/disclosure-compliance/?period=2025年", status=400)
    assert "2025年" in bad["period"][0]
    get_json(client, "/api/registers/disclosure-compliance/?status=bad", status=400)
