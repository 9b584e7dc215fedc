"""Headless: /api/v2/pages/ exposes every notice and policy field, derived ones included."""

import datetime

import pytest

from portal.pages.models import NoticeAttachment
from tests.factories import finance_disclosure, xiling_disclosure_board

from .conftest import days

pytestmark = pytest.mark.django_db


def api_items(client, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()["items"]


def test_notice_fields(client, make_notice, make_document, today):
    notice = make_notice(
        title="关于冬季消防安全排查的通知",
        category="urgent",
        issuing_unit="青石街道应急管理办公室",
        pinned=True,
        pinned_until=today + days(5),
        valid_from=today - days(10),
        valid_until=today - days(1),
        summary="请各网格完成排查。",
        body=[("paragraph", "<p>正文</p>")],
    )
    NoticeAttachment.objects.create(
        page=notice, document=make_document(title="检查表", name="check.csv")
    )
    [item] = api_items(client, {"type": "pages.NoticePage", "fields": "*"})
    assert item["id"] == notice.id
    expected = {
        "title": "关于冬季消防安全排查的通知",
        "date": today.isoformat(),
        "category": "urgent",
        "category_label": "紧急通知",
        "issuing_unit": "青石街道应急管理办公室",
        "urgent": False,
        "is_urgent": True,
        "pinned": True,
        "pinned_until": (today + days(5)).isoformat(),
        "is_pinned": True,
        "valid_from": (today - days(10)).isoformat(),
        "valid_until": (today - days(1)).isoformat(),
        "is_expired": True,
        "summary": "请各网格完成排查。",
    }
    assert {key: item[key] for key in expected} == expected
    assert item["body"][0]["type"] == "paragraph"
    [attachment] = item["attachments"]
    assert attachment["title"] == "检查表"
    assert attachment["file_extension"] == "csv"
    assert attachment["file_size"] == len(b"a,b\n1,2\n")
    assert attachment["available"] is True
    assert attachment["download_url"].startswith("http") and "check" in attachment["download_url"]


def test_notice_filter_by_category_field(client, make_notice):
    make_notice(category="publicity", title="公示")
    make_notice(category="notice", title="通知")
    items = api_items(client, {"type": "pages.NoticePage", "category": "publicity"})
    assert [i["title"] for i in items] == ["公示"]


def test_policy_fields_with_derived_status_and_live_links_only(client, make_policy):
    newer = make_policy(title="办法（修订）", level="city")
    policy = make_policy(
        title="办法",
        document_number="市民发〔2023〕7号",
        issuer="市民政局",
        level="city",
        issue_date=datetime.date(2023, 3, 15),
        effective_date=datetime.date(2023, 4, 1),
        superseded_by=newer,
        topics=["社会救助", "低保"],
        summary="<p>摘要</p>",
    )
    interpretation = make_policy(title="解读", interprets=policy)
    draft = make_policy(title="草稿解读", interprets=policy)
    draft.unpublish()

    [item] = api_items(client, {"type": "pages.PolicyPage", "fields": "*", "id": policy.id})
    expected = {
        "document_number": "市民发〔2023〕7号",
        "issuer": "市民政局",
        "level": "city",
        "level_label": "市",
        "issue_date": "2023-03-15",
        "effective_date": "2023-04-01",
        "repealed_on": None,
        "status": "revised",
        "status_label": "已修订",
        "is_interpretation": False,
        "topics": ["低保", "社会救助"],
        "interprets": None,
    }
    assert {key: item[key] for key in expected} == expected
    assert item["superseded_by"]["id"] == newer.id
    assert item["superseded_by"]["html_url"].endswith(newer.url)
    assert [i["id"] for i in item["interpretations"]] == [interpretation.id]

    [back] = api_items(client, {"type": "pages.PolicyPage", "fields": "*", "id": interpretation.id})
    assert back["interprets"]["id"] == policy.id and back["is_interpretation"] is True

    # A link to a page that is no longer live is not revealed.
    newer.unpublish()
    [item] = api_items(client, {"type": "pages.PolicyPage", "fields": "*", "id": policy.id})
    assert item["superseded_by"] is None


def test_policy_status_in_force_and_repealed(client, make_policy):
    make_policy(title="现行")
    make_policy(title="废止", repealed_on=datetime.date(2025, 12, 1))
    items = api_items(client, {"type": "pages.PolicyPage", "fields": "status,status_label"})
    assert {i["title"]: i["status_label"] for i in items} == {"现行": "现行有效", "废止": "已废止"}


def test_home_and_index_fields(client, home, notice_index):
    [item] = api_items(client, {"type": "pages.HomePage", "fields": "*"})
    assert set(item) >= {"intro", "quick_links"}
    [index] = api_items(client, {"type": "pages.NoticeIndexPage", "fields": "*"})
    assert "intro" in index


def test_unpublished_notice_is_not_in_the_api(client, make_notice):
    make_notice(title="草稿").unpublish()
    assert api_items(client, {"type": "pages.NoticePage"}) == []


def test_disclosure_fields_with_region_period_and_computed_finance(client, home):
    _, village, board = xiling_disclosure_board(home)
    disclosure = finance_disclosure(
        board,
        "西岭村2026年第三季度财务收支公开",
        "finance-2026-q3",
        "1000.00",
        [("income", "集体土地租金", "800.50"), ("expense", "道路维修", "300.25")],
    )
    [item] = api_items(client, {"type": "pages.DisclosurePage", "fields": "*"})
    assert item["id"] == disclosure.id
    assert item["region"] == {
        "id": village.id,
        "name": "西岭村",
        "code": "411523001201",
        "level": "village",
    }
    assert (item["kind"], item["kind_label"]) == ("finance", "财务公开")
    assert (item["period_type"], item["year"], item["period_number"]) == ("quarter", 2026, 3)
    assert "2026" in item["period_label"] and "3" in item["period_label"]
    assert [(i["direction_label"], i["item"], i["amount"]) for i in item["finance_items"]] == [
        ("收入", "集体土地租金", "800.50"),
        ("支出", "道路维修", "300.25"),
    ]
    assert item["opening_balance"] == "1000.00"
    assert item["income_total"] == "800.50"
    assert item["expense_total"] == "300.25"
    assert item["closing_balance"] == "1500.25"

    [index] = api_items(
        client, {"type": "pages.DisclosureIndexPage", "fields": "*", "slug": "xiling"}
    )
    assert index["region"]["name"] == "西岭村"
