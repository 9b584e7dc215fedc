"""Public pages: village list, filtered listings, the disclosure page and its A4 print view."""

import datetime
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.pages.models import DisclosureAttachment

pytestmark = pytest.mark.django_db

D = datetime.date


def titles(response):
    return [page.title for page in response.context["disclosures"]]


@pytest.fixture
def listing(make_disclosure):
    make_disclosure(title="2025年度集体资产", kind="finance", period_type="year", year=2025)
    make_disclosure(title="2026年第1季度村民会议", period_number=1)
    make_disclosure(title="2026年第3季度党务", kind="party", period_number=3)
    make_disclosure(title="2026年第3季度村民会议", period_number=3)
    make_disclosure(title="2026年8月财务", kind="finance", period_type="month", period_number=8)
    make_disclosure(title="2026年12月财务", kind="finance", period_type="month", period_number=12)
    make_disclosure(title="2026年度集体资产", kind="finance", period_type="year", year=2026)
    make_disclosure(
        title="8月重大事项",
        period_type="immediate",
        period_number=None,
        matter_date=D(2026, 8, 20),
    )
    make_disclosure(title="未发布的草稿", live=False)
    make_disclosure(village="西岭村", title="西岭村的公开")


def test_village_listing_is_newest_period_first(client, listing):
    response = client.get("/disclosures/donghu/")
    assert response.status_code == 200
    # same period: newest publication first, whatever the kind (test_board_order.py);
    # the August report (to 31 August) above a matter of 20 August
    assert titles(response) == [
        "2026年度集体资产",
        "2026年12月财务",
        "2026年第3季度村民会议",
        "2026年第3季度党务",
        "2026年8月财务",
        "8月重大事项",
        "2026年第1季度村民会议",
        "2025年度集体资产",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=party", ["2026年第3季度党务"]),
        ("kind=finance&year=2025", ["2025年度集体资产"]),
        (
            "year=2026&period=q3",
            ["2026年第3季度村民会议", "2026年第3季度党务", "2026年8月财务", "8月重大事项"],
        ),
        ("period=q3&kind=village", ["2026年第3季度村民会议", "8月重大事项"]),
        ("period=annual", ["2026年度集体资产", "2025年度集体资产"]),
        ("period=immediate", ["8月重大事项"]),
        ("kind=finance&period=q4", ["2026年12月财务"]),
    ],
)
def test_filters_by_kind_year_and_period(client, listing, query, expected):
    assert titles(client.get(f"/disclosures/donghu/?{query}")) == expected


def test_unknown_filter_values_are_ignored_not_errors(client, listing):
    response = client.get("/disclosures/donghu/?kind=secret&year=abc&period=q9&page=99")
    assert response.status_code == 200
    assert len(titles(response)) == 8


def test_filter_links_keep_the_other_filters(client, listing):
    html = client.get("/disclosures/donghu/?kind=finance&year=2026").content.decode()
    assert 'href="/disclosures/donghu/?kind=finance&amp;year=2026&amp;period=q3"' in html
    assert 'href="/disclosures/donghu/?year=2026"' in html  # "全部" kinds keeps the year
    assert 'aria-current="true">财务公开<' in html


def test_town_index_lists_its_villages(client, listing):
    response = client.get("/disclosures/")
    html = response.content.decode()
    villages = {v.title: v.disclosure_count for v in response.context["villages"]}
    assert villages == {"东湖社区村务公开栏": 8, "西岭村村务公开栏": 1}
    assert 'href="/disclosures/xiling/"' in html
    assert "/disclosures/compliance/" in html


def queries_for(client, url):
    client.get(url)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


@pytest.mark.parametrize("url", ["/disclosures/donghu/", "/disclosures/"])
def test_listing_query_count_is_fixed(client, make_disclosure, url, settings):
    settings.PAGE_CACHE_ENABLED = False  # the uncached path; tests/cache covers the cache
    for n in range(5):
        make_disclosure(period_number=n % 4 + 1, year=2000 + n)
    small, _ = queries_for(client, url)
    for n in range(5, 55):
        make_disclosure(period_number=n % 4 + 1, year=2000 + n)
        make_disclosure(village="西岭村", period_number=n % 4 + 1, year=2000 + n)
    large, response = queries_for(client, url)
    assert large == small <= 15  # Wagtail's routing and breadcrumbs included
    if url == "/disclosures/donghu/":
        assert len(titles(response)) == 30  # the first page of 55


@pytest.fixture
def finance_page(make_disclosure, catalog):
    return make_disclosure(
        title="东湖社区2026年10月财务收支公开",
        kind="finance",
        period_type="month",
        period_number=10,
        catalog_item=catalog["finance_month"],
        opening_balance="52970.15",
        lines=[
            ("income", "上级转移支付", "1234567.80"),
            ("expense", "干部报酬", "9546.17"),
        ],
    )


def test_disclosure_page_shows_period_catalog_and_finance_table(client, finance_page):
    response = client.get(finance_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "财务公开" in html and "2026年10月" in html and "财务收支" in html
    assert '<td class="num">¥52,970.15</td>' in html  # 期初余额
    assert '<td class="num">¥1,234,567.80</td>' in html  # a line, and 本期收入合计
    assert '<td class="num">¥9,546.17</td>' in html
    assert '<td class="num">¥1,277,991.78</td>' in html  # 期末余额, computed
    for label in ("期初余额", "本期收入合计", "本期支出合计", "期末余额"):
        assert label in html
    assert "10日内" in html


def test_print_view_fits_a4_with_header_and_signature_lines(client, finance_page):
    response = client.get(finance_page.url + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "disclosure-print.css" in html
    assert "青石街道东湖社区" in html or "东湖社区" in html
    assert "2026年10月" in html
    assert "村务监督委员会主任（签字）" in html
    assert "<script>" not in html  # CSP: the print button's JS is a static file
    assert "¥1,277,991.78" in html


def test_print_stylesheet_targets_a4(settings):
    css = (settings.BASE_DIR / "static" / "css" / "disclosure-print.css").read_text()
    assert "size: A4" in css
    assert "table-layout: fixed" in css


def test_missing_attachment_file_does_not_break_the_page(client, finance_page, make_document):
    present = make_document(title="记账凭证汇总表", name="vouchers.csv")
    missing = make_document(title="银行对账单", name="statement.csv")
    os.remove(missing.file.path)
    finance_page.attachments = [
        DisclosureAttachment(document=present),
        DisclosureAttachment(document=missing),
    ]
    finance_page.save()
    for url in (finance_page.url, finance_page.url + "print/"):
        response = client.get(url)
        assert response.status_code == 200
    html = client.get(finance_page.url).content.decode()
    assert "记账凭证汇总表" in html and present.url in html
    assert "银行对账单" in html and "文件暂时无法下载" in html


def test_unknown_subpath_is_the_chinese_404(client, finance_page):
    response = client.get(finance_page.url + "nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<h1>页面不存在</h1>" in body  # the site's own page (templates/404.html)
    assert "您要找的页面不存在" in body
    assert '<a href="/">返回首页</a>' in body
    assert "Not Found" not in body and "Page not found" not in body
    assert finance_page.title not in body  # not the disclosure served under a wrong path


def test_draft_disclosure_is_not_public(client, make_disclosure):
    page = make_disclosure(live=False)
    assert client.get("/disclosures/donghu/" + page.slug + "/").status_code == 404
