"""Each village's disclosure board as RSS and Atom, read by a real XML parser."""

import datetime

import pytest

from tests.pages.feedcheck import parse_atom, parse_rss

pytestmark = pytest.mark.django_db


def test_village_board_feed(client, make_disclosure, donghu, tree):
    make_disclosure(
        title="第一季度村务公开",
        period_number=1,
        summary="一季度情况",
        published_on=datetime.date(2026, 4, 5),
    )
    make_disclosure(
        title="第二季度村务公开", period_number=2, published_on=datetime.date(2026, 7, 5)
    )
    make_disclosure(title="草稿", live=False)
    make_disclosure(village="西岭村", title="西岭村公开")
    feed = parse_rss(client.get(f"/feeds/disclosures/{donghu.code}/").content)
    assert [i["title"] for i in feed["items"]] == ["第二季度村务公开", "第一季度村务公开"]
    assert feed["items"][1]["description"] == "村务公开（2026年第1季度）：一季度情况"
    assert feed["link"].endswith("/disclosures/donghu/")
    atom = parse_atom(client.get(f"/feeds/disclosures/{donghu.code}/atom/").content)
    assert len(atom["entries"]) == 2


def test_unknown_board_and_town_board_404(client, tree, regions):
    assert client.get("/feeds/disclosures/000/").status_code == 404
    assert client.get(f"/feeds/disclosures/{regions['town'].code}/").status_code == 404


def test_board_and_disclosure_link_the_feed(client, make_disclosure, donghu, tree):
    page = make_disclosure()
    for url in (tree["东湖社区"].url, page.url):
        html = client.get(url).content.decode()
        assert f'href="/feeds/disclosures/{donghu.code}/"' in html
