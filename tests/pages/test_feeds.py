"""Feeds of notices (all and per category) and policies, read by a real XML parser."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from .feedcheck import parse_atom, parse_rss

pytestmark = pytest.mark.django_db


def test_notices_rss_lists_live_public_notices_newest_first(client, make_notice, today):
    make_notice(title="旧通知", date=today - datetime.timedelta(days=3), summary="旧的摘要")
    make_notice(title="新公告", category="announcement", summary="新的摘要")
    make_notice(title="草稿通知", live=False)
    hidden = make_notice(title="内部通知")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    response = client.get("/feeds/notices/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = parse_rss(response.content)
    assert [i["title"] for i in feed["items"]] == ["新公告", "旧通知"]
    first = feed["items"][0]
    assert first["link"].endswith("/notices/notice-2/")
    assert first["description"] == "新的摘要"
    assert first["categories"] == ["公告"]
    assert first["pubDate"].tzinfo is not None


def test_notices_per_category(client, make_notice):
    make_notice(title="一般通知")
    make_notice(title="公示名单", category="publicity")
    feed = parse_rss(client.get("/feeds/notices/publicity/").content)
    assert [i["title"] for i in feed["items"]] == ["公示名单"]
    assert "公示" in feed["title"]
    atom = parse_atom(client.get("/feeds/notices/publicity/atom/").content)
    assert [e["title"] for e in atom["entries"]] == ["公示名单"]
    assert client.get("/feeds/notices/nonsense/").status_code == 404


def test_notices_atom(client, make_notice):
    make_notice(title="通知甲", summary="摘要甲")
    response = client.get("/feeds/notices/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = parse_atom(response.content)
    assert atom["entries"][0]["summary"] == "摘要甲"
    assert atom["entries"][0]["link"].startswith("http://")


def test_policies_feeds(client, make_policy):
    make_policy(title="关于乡村振兴的实施意见", document_number="清政办〔2025〕3号")
    for url, parse, key in (
        ("/feeds/policies/", parse_rss, "items"),
        ("/feeds/policies/atom/", parse_atom, "entries"),
    ):
        feed = parse(client.get(url).content)
        (row,) = feed[key]
        assert row["title"] == "关于乡村振兴的实施意见"


def test_index_pages_link_their_feeds(client, make_notice, policy_index, notice_index):
    make_notice()
    html = client.get(notice_index.url + "?category=publicity").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/feeds/notices/"' in html
    assert 'href="/feeds/notices/publicity/atom/"' in html
    html = client.get(policy_index.url).content.decode()
    assert 'href="/feeds/policies/atom/"' in html


def test_feeds_are_cached_and_refreshed_by_a_publish(client, settings, make_notice):
    settings.PAGE_CACHE_ENABLED = True
    make_notice(title="第一条")
    first = client.get("/feeds/notices/")
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/feeds/notices/")["X-Page-Cache"] == "hit"
    make_notice(title="第二条")
    feed = parse_rss(client.get("/feeds/notices/").content)
    assert [i["title"] for i in feed["items"]] == ["第二条", "第一条"]
