"""Fixtures of the page-cache tests: the disclosure tree (regions, home, indexes)
plus a notice index, reused from the disclosure and page tests."""

import pytest
from wagtail.models import Site

from portal.pages.models import NoticeIndexPage, NoticePage
from tests.disclosures.conftest import (  # noqa: F401
    catalog,
    donghu,
    donghu_committee,
    editor,
    home,
    make_disclosure,
    regions,
    tree,
)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def site_home(home):  # noqa: F811 (the imported fixture)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "青石街道基层治理门户"
    site.save()
    return home


@pytest.fixture
def notice_index(site_home):
    return site_home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))


@pytest.fixture
def make_notice(notice_index):
    counter = iter(range(1, 1_000_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("title", f"关于做好第{n}项工作的通知")
        fields.setdefault("slug", f"notice-{n}")
        fields.setdefault("issuing_unit", "青石街道办事处")
        return notice_index.add_child(instance=NoticePage(**fields))

    return make


def cache_state(response):
    return response.headers.get("X-Page-Cache", "")
