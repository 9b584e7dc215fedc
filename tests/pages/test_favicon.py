"""Every public page links a favicon that exists (no 404 for the icon on each page view)."""

import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def icon_links(html):
    return re.findall(r'<link rel="(?:alternate )?icon" href="([^"]+)"', html)


@pytest.mark.parametrize("path", ["/", "/notices/", "/grids/", "/no-such-page/"])
def test_public_pages_link_a_shipped_favicon(client, notice_index, path):
    response = client.get(path)
    hrefs = icon_links(response.content.decode())
    assert len(hrefs) == 2
    for href in hrefs:
        assert href.startswith(settings.STATIC_URL)  # served by us, never a CDN
        found = finders.find(href.removeprefix(settings.STATIC_URL))
        assert found, href
        with open(found, "rb") as handle:
            data = handle.read()
        assert 0 < len(data) < 8192


def test_svg_icon_is_well_formed_and_ico_has_the_usual_sizes():
    svg = ElementTree.parse(finders.find("img/favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    with Image.open(finders.find("img/favicon.ico")) as ico:
        assert ico.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(ico.info["sizes"])


def test_root_favicon_request_is_sent_to_the_shipped_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    target = response["Location"]
    assert target.startswith(settings.STATIC_URL)
    assert finders.find(target.removeprefix(settings.STATIC_URL))
