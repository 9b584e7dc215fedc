"""A resident on a phone: the pinned notice, last quarter's finances, the grid worker, cases.

Everything is reached by tapping links and typing, from the home page; the
database is only read for the values the page must show (titles, staff, sums).
"""

import re

from django.utils import timezone
from django.utils.html import strip_tags
from playwright.sync_api import expect

from portal.pages.models import DisclosurePage, NoticePage
from portal.snippets.models import Grid

from .helpers import previous_quarter, yuan


def test_resident_reads_the_pinned_notice(site, page):
    page.goto("/")
    pinned = page.get_by_role("listitem").filter(has=page.get_by_text("置顶", exact=True))
    expect(pinned.first).to_be_visible()
    link = pinned.first.get_by_role("link")
    title = link.inner_text().strip()
    notice = NoticePage.objects.live().get(title=title)
    assert notice.is_pinned, f"首页置顶区显示了未置顶的通知：{title}"

    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(notice.summary)).to_be_visible()
    first_paragraph = strip_tags(str(notice.body[0].value)).strip()
    expect(page.locator("main")).to_contain_text(first_paragraph[:40])


def test_resident_opens_last_quarters_finance_disclosure(site, page):
    year, quarter = previous_quarter(timezone.localdate())
    title = f"西岭村{year}年第{quarter}季度财务收支公开"
    disclosure = DisclosurePage.objects.live().get(title=title)

    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="村务公开").click()
    page.get_by_role("link", name="西岭村村务公开栏").click()
    page.get_by_role("group", name="公开类别").get_by_role("link", name="财务公开").click()

    expect(page.get_by_role("status")).to_contain_text("当前筛选：财务公开")
    listed = page.locator("main li").filter(has=page.get_by_role("link"))
    expect(listed.first).to_be_visible()
    for badge in listed.locator(".badge").all_inner_texts():
        assert badge == "财务公开", f"筛选“财务公开”后仍列出了“{badge}”"
    page.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    table = page.get_by_role("table")
    expect(table).to_contain_text(f"{year}年第{quarter}季度")
    closing = table.get_by_role("row", name=re.compile("^期末余额"))
    expect(closing).to_contain_text(yuan(disclosure.closing_balance))
    opening = table.get_by_role("row", name=re.compile("^期初余额"))
    expect(opening).to_contain_text(yuan(disclosure.opening_balance))
    expect(page.locator("p").filter(has_text="审核人：")).to_contain_text("村务监督委员会审核")


def test_resident_finds_their_grid_worker(site, page):
    grid = Grid.objects.filter(region__name="西岭村", live=True).order_by("code")[2]
    staff = list(grid.staff.all())
    assert staff, "演示数据中该网格没有工作人员"

    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="找网格员").click()
    main = page.get_by_role("main")
    main.get_by_role("link", name=re.compile("^青石街道")).click()
    main.get_by_role("link", name=re.compile("^西岭村")).click()
    main.get_by_role("link", name=re.compile(f"^{grid.name}")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(grid.name)
    expect(page.get_by_text(grid.code)).to_be_visible()
    for person in staff:
        card = page.get_by_role("listitem").filter(has_text=person.name)
        expect(card).to_be_visible()
        if person.work_phone:
            phone = card.get_by_role("link", name=person.work_phone)
            expect(phone).to_have_attribute("href", f"tel:{person.work_phone}")


def test_resident_searches_public_cases_in_chinese(site, page):
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件查询").click()
    page.get_by_label("关键词").fill("漏水")
    page.get_by_role("button", name="查询").click()

    count = page.get_by_role("status")
    expect(count).to_contain_text("“漏水”共找到")
    total = int(count.locator("strong").inner_text())
    assert total > 0

    results = page.get_by_role("region", name="查询结果").get_by_role("listitem")
    expect(results.first).to_be_visible()
    marks = page.get_by_role("region", name="查询结果").locator("mark")
    expect(marks.first).to_be_visible()
    words = set(marks.all_inner_texts())
    assert "漏水" in words and words <= {"漏水", "渗水", "渗漏"}, words
    for text in results.all_inner_texts():
        assert re.search("漏水|渗水|渗漏", text), f"结果中没有匹配的词：{text}"

    facets = page.get_by_role("complementary", name="筛选")
    expect(facets.get_by_role("heading", name="事件类别")).to_be_visible()
    expect(facets.get_by_role("heading", name="办理状态")).to_be_visible()
    category = facets.locator("section").filter(has_text="事件类别").get_by_role("listitem").first
    label = category.get_by_role("link").inner_text().strip()
    expected = int(category.locator(".count").inner_text())

    category.get_by_role("link").click()

    expect(count).to_contain_text(f"共找到 {expected} 件")
    expect(results.first).to_be_visible()
    for badges in page.get_by_role("region", name="查询结果").locator(".badges").all_inner_texts():
        assert label in badges, f"按“{label}”筛选后出现了其他类别：{badges}"
