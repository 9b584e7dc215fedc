"""Absolute URLs come from the Wagtail Site, never from the request's Host header.

A client that sends ``Host: evil.example`` (allowed here as a misconfigured
ALLOWED_HOSTS would) must not see its domain in robots.txt, the sitemap, the
Wagtail API's ``html_url`` / ``detail_url`` / attachment links, or Open311's
discovery document.
"""

import pytest
from wagtail.models import Site

from portal.pages.models import NoticeAttachment

EVIL = "evil.example"
ROOT = "https://www.qingshi.gov.cn"


@pytest.fixture
def public_site(home, settings):
    settings.ALLOWED_HOSTS = ["*"]
    site = Site.objects.get(is_default_site=True)
    site.hostname = "www.qingshi.gov.cn"
    site.port = 443
    site.save()
    assert site.root_url == ROOT
    return site


def get(client, path):
    response = client.get(path, HTTP_HOST=EVIL)
    assert response.status_code == 200, path
    return response


def test_robots_txt_points_at_the_sites_sitemap(client, public_site):
    body = get(client, "/robots.txt").content.decode()
    assert f"Sitemap: {ROOT}/sitemap.xml" in body
    assert EVIL not in body


def test_sitemap_uses_the_sites_root_url(client, public_site, make_notice):
    notice = make_notice()
    body = get(client, "/sitemap.xml").content.decode()
    assert f"<loc>{ROOT}{notice.url}</loc>" in body
    assert EVIL not in body


def test_api_links_use_the_sites_root_url(client, public_site, make_notice, make_document):
    notice = make_notice()
    NoticeAttachment.objects.create(page=notice, document=make_document(title="检查表"))
    detail = get(client, f"/api/v2/pages/{notice.id}/").json()
    assert detail["meta"]["html_url"] == f"{ROOT}{notice.url}"
    assert detail["meta"]["parent"]["meta"]["html_url"].startswith(ROOT + "/")
    assert detail["meta"]["parent"]["meta"]["detail_url"].startswith(ROOT + "/api/v2/")
    assert detail["attachments"][0]["download_url"].startswith(ROOT + "/")
    listing = get(client, "/api/v2/pages/?type=pages.NoticePage").content.decode()
    assert f"{ROOT}{notice.url}" in listing
    assert EVIL not in listing + str(detail)


def test_open311_discovery_uses_the_sites_root_url(client, public_site):
    body = get(client, "/open311/v2/discovery.json").json()
    assert body["endpoints"][0]["url"] == f"{ROOT}/open311/v2/"
    assert EVIL not in str(body)


def test_unknown_host_falls_back_to_the_default_site_even_without_https(client, home, settings):
    settings.ALLOWED_HOSTS = ["*"]
    body = get(client, "/robots.txt").content.decode()
    assert "Sitemap: http://localhost/sitemap.xml" in body
