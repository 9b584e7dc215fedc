"""Notice board: order (pinned-now first, then newest), filters, archive, pagination."""

import datetime
import re

import pytest

from portal.pages.models import NoticePage

from .conftest import days

notices = NoticePage.objects


def notice_listing(index, **kwargs):
    return notices.listing(index, **kwargs)


def year_archive(index, category=""):
    return notices.published(index).year_archive(category)


pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 21)


def titles(qs):
    return [n.title for n in qs]


def test_pinned_first_then_newest(notice_index, make_notice):
    make_notice(title="旧", date=DAY - days(30))
    make_notice(title="新", date=DAY - days(1))
    make_notice(title="置顶旧", date=DAY - days(90), pinned=True)
    make_notice(title="中", date=DAY - days(10))
    listing = notice_listing(notice_index, day=DAY)
    assert titles(listing.notices) == ["置顶旧", "新", "中", "旧"]


def test_expired_pin_drops_back_to_date_order(notice_index, make_notice):
    make_notice(title="置顶已过", date=DAY - days(5), pinned=True, pinned_until=DAY - days(1))
    make_notice(title="今日止", date=DAY - days(40), pinned=True, pinned_until=DAY)
    make_notice(title="普通", date=DAY - days(2))
    listing = notice_listing(notice_index, day=DAY)
    assert titles(listing.notices) == ["今日止", "普通", "置顶已过"]
    flags = {n.title: n.pin_active for n in listing.notices}
    assert flags == {"今日止": True, "普通": False, "置顶已过": False}


def test_same_day_notices_newest_created_first(notice_index, make_notice):
    make_notice(title="先发", date=DAY)
    make_notice(title="后发", date=DAY)
    assert titles(notice_listing(notice_index, day=DAY).notices) == ["后发", "先发"]


def test_expired_notices_stay_listed_and_are_flagged(notice_index, make_notice):
    make_notice(title="已过期", date=DAY - days(20), valid_until=DAY - days(1))
    make_notice(title="今天到期", date=DAY - days(20), valid_until=DAY)
    make_notice(title="长期", date=DAY - days(20))
    flags = {n.title: n.validity_ended for n in notice_listing(notice_index, day=DAY).notices}
    assert flags == {"已过期": True, "今天到期": False, "长期": False}


def test_unpublished_notices_are_not_listed(notice_index, make_notice):
    make_notice(title="已发布")
    draft = make_notice(title="草稿")
    draft.unpublish()
    assert titles(notice_listing(notice_index, day=DAY).notices) == ["已发布"]


def test_filter_by_category(notice_index, make_notice):
    make_notice(title="表彰一", category=NoticePage.Category.COMMENDATION)
    make_notice(title="公示一", category=NoticePage.Category.PUBLICITY, pinned=True)
    make_notice(title="表彰二", category=NoticePage.Category.COMMENDATION, date=DAY - days(3))
    listing = notice_listing(notice_index, category="commendation", day=DAY)
    assert listing.errors == []
    assert listing.category == "commendation"
    assert sorted(titles(listing.notices)) == ["表彰一", "表彰二"]


def test_filter_by_year_and_archive_counts(notice_index, make_notice):
    make_notice(title="2026甲", date=datetime.date(2026, 3, 1))
    make_notice(title="2026乙", date=datetime.date(2026, 1, 1))
    make_notice(title="2025甲", date=datetime.date(2025, 12, 31), category="announcement")
    listing = notice_listing(notice_index, year="2025", day=DAY)
    assert titles(listing.notices) == ["2025甲"]
    assert year_archive(notice_index) == [(2026, 2), (2025, 1)]
    assert year_archive(notice_index, category="announcement") == [(2025, 1)]


@pytest.mark.parametrize(
    ("category", "year", "message"),
    [
        ("bogus", None, "没有“bogus”这个类别"),
        (None, "20x5", "年份“20x5”无效"),
        (None, "99999", "年份“99999”无效"),
    ],
)
def test_invalid_filters_are_ignored_with_a_chinese_message(
    notice_index, make_notice, category, year, message
):
    make_notice(title="甲")
    listing = notice_listing(notice_index, category=category, year=year, day=DAY)
    assert titles(listing.notices) == ["甲"]
    assert any(message in error for error in listing.errors)


def test_home_sections_pinned_and_latest(home, notice_index, make_notice):
    make_notice(title="置顶", pinned=True, date=DAY - days(9))
    make_notice(title="过期置顶", pinned=True, pinned_until=DAY - days(1), date=DAY - days(8))
    make_notice(title="最新", date=DAY)
    sections = notices.published(home).for_home(DAY)
    assert titles(sections.pinned) == ["置顶"]
    assert titles(sections.latest) == ["最新", "过期置顶"]


# --- through the page (template, paginator, query string) ---------------------------------


def test_board_page_paginates_twenty_per_page_with_chinese_labels(
    client, notice_index, make_notice, today
):
    for i in range(45):
        make_notice(title=f"第{i:02d}号通知", date=today - days(i))
    first = client.get("/notices/")
    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('class="notice-item') == 20
    assert "第00号通知" in body and "第19号通知" in body and "第20号通知" not in body
    assert "下一页" in body and "第 1 页，共 3 页，45 条" in body

    third = client.get("/notices/?page=3").content.decode()
    assert third.count('class="notice-item') == 5
    assert "第44号通知" in third and "上一页" in third

    # Out of range or garbage page numbers land on a real page instead of failing.
    assert "第 3 页，共 3 页" in client.get("/notices/?page=99").content.decode()
    assert "第 1 页，共 3 页" in client.get("/notices/?page=abc").content.decode()


def test_board_page_keeps_filters_in_pagination_links(client, notice_index, make_notice, today):
    for i in range(25):
        make_notice(category="publicity", date=today - days(i))
    make_notice(category="notice")
    body = client.get("/notices/?category=publicity").content.decode()
    assert re.search(r'href="\?category=publicity&amp;page=2"', body)
    assert "共 2 页，25 条" in body


def test_board_page_marks_pinned_urgent_and_expired(client, notice_index, make_notice, today):
    make_notice(title="紧急停水", category="urgent", date=today)
    make_notice(title="长期置顶", pinned=True, date=today - days(50))
    make_notice(
        title="过期公示", category="publicity", date=today - days(9), valid_until=today - days(3)
    )
    body = client.get("/notices/").content.decode()
    body = body[body.index("<main") :]  # the board, not the site-wide urgent banner
    assert body.index("长期置顶") < body.index("紧急停水") < body.index("过期公示")
    expired_item = body[body.index("过期公示") - 600 : body.index("过期公示")]
    assert "已过期" in expired_item
    assert 'badge-urgent">紧急<' in body
    assert 'badge-pinned">置顶<' in body


def test_board_page_shows_error_for_bad_filter(client, notice_index, make_notice):
    make_notice(title="甲")
    response = client.get("/notices/?category=nope&year=abcd")
    assert response.status_code == 200
    body = response.content.decode()
    assert "没有“nope”这个类别" in body and "年份“abcd”无效" in body and "甲" in body


def test_board_page_year_archive_links(client, notice_index, make_notice):
    make_notice(date=datetime.date(2025, 5, 1))
    make_notice(date=datetime.date(2025, 6, 1))
    make_notice(date=datetime.date(2026, 6, 1))
    body = client.get("/notices/").content.decode()
    assert 'href="?year=2025">2025年</a> <span class="meta">（2条）' in body
    filtered = client.get("/notices/?year=2025").content.decode()
    assert filtered.count('class="notice-item') == 2
