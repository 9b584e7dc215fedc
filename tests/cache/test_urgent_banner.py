"""Urgent notices (紧急通知): first on the home page, and a banner on every public page
while they are valid — with the page cache on, so a publish, an expiry or the
start of a notice's validity shows on the next anonymous request."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from portal.pages.models import NoticePage

from .conftest import cache_state

pytestmark = pytest.mark.django_db

BANNER = 'class="urgent-banner wrap"'
PAGES = ("/", "/notices/", "/grids/", "/disclosures/compliance/")


def days(n):
    return datetime.timedelta(days=n)


def banner_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    if BANNER not in body:
        return ""
    start = body.index(BANNER)
    return body[start : body.index("</aside>", start)]


def test_urgent_notice_comes_first_on_home_and_is_a_banner_everywhere(client, make_notice):
    today = timezone.localdate()
    make_notice(title="长期置顶的通知", pinned=True, date=today - days(30))
    make_notice(title="今天的普通通知", date=today)
    make_notice(title="明日全村停水", category="urgent", date=today - days(2))
    make_notice(title="防汛紧急转移", urgent=True, date=today - days(1), valid_until=today)

    body = client.get("/").content.decode()
    main = body[body.index("<main") :]
    assert main.index("防汛紧急转移") < main.index("明日全村停水") < main.index("长期置顶的通知")
    assert main.index("长期置顶的通知") < main.index("今天的普通通知")
    assert main.count("明日全村停水") == 1  # in the urgent list only, not again under 最新

    for url in PAGES:
        banner = banner_of(client, url)
        assert "防汛紧急转移" in banner and "明日全村停水" in banner, url
        assert "长期置顶的通知" not in banner and "今天的普通通知" not in banner, url
    assert "/notices/notice-3/" in banner_of(client, "/grids/")


def test_banner_appears_on_the_next_anonymous_request_after_publish(client, notice_index):
    for url in PAGES:
        assert banner_of(client, url) == ""
        client.get(url)
        assert cache_state(client.get(url)) == "hit", url
    draft = notice_index.add_child(
        instance=NoticePage(
            title="暴雨红色预警",
            slug="storm",
            issuing_unit="街道办",
            category="urgent",
            live=False,
        )
    )
    for url in PAGES:  # a draft is not public
        assert banner_of(client, url) == "", url
    draft.save_revision().publish()
    for url in PAGES:
        assert "暴雨红色预警" in banner_of(client, url), url
    NoticePage.objects.get(pk=draft.pk).unpublish()
    for url in PAGES:
        assert banner_of(client, url) == "", url


def test_banner_disappears_the_day_after_expiry_without_a_publish(client, make_notice):
    today = timezone.localdate()
    make_notice(title="今天有效的紧急通知", category="urgent", date=today, valid_until=today)
    make_notice(title="明天生效的紧急通知", urgent=True, date=today, valid_from=today + days(1))
    for url in PAGES:
        banner = banner_of(client, url)
        assert "今天有效的紧急通知" in banner and "明天生效的紧急通知" not in banner, url
        assert cache_state(client.get(url)) == "hit", url

    with mock.patch("django.utils.timezone.localdate", return_value=today + days(1)):
        for url in PAGES:
            banner = banner_of(client, url)
            assert "今天有效的紧急通知" not in banner, url
            assert "明天生效的紧急通知" in banner, url
        home = client.get("/").content.decode()
        urgent_list = home[home.index("<main") :]
        urgent_list = urgent_list[: urgent_list.index("最新")]
        assert "今天有效的紧急通知" not in urgent_list


def test_urgent_without_an_end_date_stops_after_a_week(client, make_notice):
    today = timezone.localdate()
    make_notice(title="八天前的紧急通知", category="urgent", date=today - days(8))
    make_notice(title="七天前的紧急通知", category="urgent", date=today - days(7))
    banner = banner_of(client, "/notices/")
    assert "七天前的紧急通知" in banner and "八天前的紧急通知" not in banner
    assert NoticePage.objects.get(title="七天前的紧急通知").is_urgent_on(today)
    assert not NoticePage.objects.get(title="八天前的紧急通知").is_urgent_on(today)


def test_private_urgent_notice_is_never_in_the_banner(client, make_notice):
    from wagtail.models import PageViewRestriction

    secret = make_notice(title="内部紧急通知", category="urgent", date=timezone.localdate())
    assert "内部紧急通知" in banner_of(client, "/grids/")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    for url in PAGES:
        assert "内部紧急通知" not in banner_of(client, url), url
