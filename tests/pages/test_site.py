"""Site-wide pieces: Chinese dates, home page, 404/500 pages, robots.txt, sitemap.xml."""

import datetime

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from portal.pages.home import latest_disclosures_by_region, quick_links
from portal.pages.templatetags.portal_tags import cn_date, cn_datetime

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 21), "2026年11月21日"),
        (datetime.date(2027, 1, 5), "2027年1月5日"),
        (None, ""),
        ("", ""),
        ("not a date", ""),
    ],
)
def test_cn_date(value, expected):
    assert cn_date(value) == expected


def test_cn_date_uses_local_time_for_datetimes():
    # 2026-11-20 17:30 UTC is already 21 November in Asia/Shanghai.
    moment = datetime.datetime(2026, 11, 20, 17, 30, tzinfo=datetime.UTC)
    assert cn_date(moment) == "2026年11月21日"
    assert cn_datetime(moment) == "2026年11月21日 01:30"


def test_cn_date_filter_in_a_template():
    rendered = Template("{% load portal_tags %}{{ d|cn_date }}").render(
        Context({"d": datetime.date(2026, 3, 8)})
    )
    assert rendered == "2026年3月8日"


def test_unknown_url_gets_the_chinese_404(client, home, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回首页" in body
    assert "青石街道基层治理门户" in body  # site name from the Wagtail site


def test_unknown_child_of_a_real_page_is_404(client, notice_index):
    response = client.get("/notices/nothing-here/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_server_error_gets_the_chinese_500(home, settings):
    settings.ROOT_URLCONF = "tests.pages.urls_boom"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body and "simulated failure" not in body and "Traceback" not in body


def test_robots_txt(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines  # the Site's root URL


def test_sitemap_lists_live_pages_only(client, home, make_notice, make_policy):
    notice = make_notice(slug="water-cut")
    make_notice(slug="secret-draft").unpublish()
    make_policy(slug="three-assets")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<urlset" in body
    assert f"{notice.url}</loc>" in body
    assert "/policies/three-assets/</loc>" in body
    assert "secret-draft" not in body


def test_home_page_shows_pinned_latest_and_policies(
    client, home, notice_index, policy_index, make_notice, make_policy, today
):
    make_notice(title="长期置顶的通知", pinned=True, date=today - days(60))
    make_notice(title="最新的公告", category="announcement", date=today)
    make_policy(title="三资管理办法")
    body = client.get("/").content.decode()
    assert "长期置顶的通知" in body and "最新的公告" in body and "三资管理办法" in body
    assert body.index("长期置顶的通知") < body.index("最新的公告")
    assert 'href="/notices/"' in body and 'href="/policies/"' in body
    assert "<main" in body and 'aria-label="主导航"' in body


def test_quick_links_fall_back_to_defaults_and_use_configured_pages(home, notice_index):
    assert [link["url"] for link in quick_links(home)][:3] == [
        "/notices/",
        "/disclosures/",
        "/policies/",
    ]
    home.quick_links = [
        ("link", {"title": "看通知", "page": notice_index, "url": "", "description": ""}),
        ("link", {"title": "外部", "page": None, "url": "/grids/", "description": "网格"}),
        ("link", {"title": "空链接", "page": None, "url": "", "description": ""}),
    ]
    home.save()
    assert [(link["title"], link["url"]) for link in quick_links(home)] == [
        ("看通知", "/notices/"),
        ("外部", "/grids/"),
    ]


def test_latest_disclosures_grouped_by_region(home):
    """Three newest per region, regions in tree order; built on real disclosure pages."""
    from portal.pages.models import DisclosureIndexPage, DisclosurePage
    from portal.snippets.models import Region

    county = Region.objects.create(name="清河县", level="county")
    town = Region.objects.create(name="青石街道", level="town", parent=county)
    east = Region.objects.create(name="东湖社区", level="village", parent=town, sort_order=0)
    west = Region.objects.create(name="西岭村", level="village", parent=town, sort_order=1)

    town_index = home.add_child(
        instance=DisclosureIndexPage(title="村务公开", slug="disclosures", region=town)
    )
    made = {}
    for region, count in ((west, 4), (east, 2)):
        index = town_index.add_child(
            instance=DisclosureIndexPage(title=region.name, slug=f"r{region.pk}", region=region)
        )
        for q in range(1, count + 1):
            page = DisclosurePage(
                title=f"{region.name}第{q}季度村务公开",
                slug=f"q{q}",
                kind="village",
                period_type="quarter",
                year=2026,
                period_number=q,
                first_published_at=timezone.now() - days(10 - q),
            )
            index.add_child(instance=page)
            made[(region.pk, q)] = page

    groups = latest_disclosures_by_region(home, per_region=3)
    assert [(region.name, [p.title for p in items]) for region, items in groups] == [
        ("东湖社区", ["东湖社区第2季度村务公开", "东湖社区第1季度村务公开"]),
        (
            "西岭村",
            ["西岭村第4季度村务公开", "西岭村第3季度村务公开", "西岭村第2季度村务公开"],
        ),
    ]


def test_404_without_any_site_uses_the_configured_site_name(client, settings):
    from wagtail.models import Site

    settings.WAGTAIL_SITE_NAME = "测试门户"
    Site.objects.all().delete()
    response = client.get("/anything/")
    assert response.status_code == 404
    assert "测试门户" in response.content.decode()
