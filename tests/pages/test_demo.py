"""The demo loader builds the site tree and content, and a second run changes nothing."""

import io

import pytest
from wagtail.models import Page, Site

from demo import pages as pages_demo
from demo import registers as snippets_demo
from portal.pages.models import HomePage, NoticeIndexPage, NoticePage, PolicyIndexPage, PolicyPage

pytestmark = pytest.mark.django_db


def load_all():
    out = io.StringIO()
    snippets_demo.load(out)
    pages_demo.load(out)
    return out.getvalue()


def snapshot():
    return {
        "pages": Page.objects.count(),
        "notices": NoticePage.objects.count(),
        "policies": PolicyPage.objects.count(),
        "revisions": sum(p.revisions.count() for p in Page.objects.all()),
    }


def test_demo_builds_the_site_and_is_idempotent(client):
    load_all()
    first = snapshot()
    load_all()
    assert snapshot() == first

    home = HomePage.objects.get()
    assert home.title == "青石街道基层治理门户"
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.id
    # Wagtail's "Welcome" page is gone: the only depth-2 page is the home page.
    assert list(Page.objects.filter(depth=2).values_list("id", flat=True)) == [home.id]
    assert NoticeIndexPage.objects.child_of(home).get().slug == "notices"
    assert PolicyIndexPage.objects.child_of(home).get().slug == "policies"

    notices = list(NoticePage.objects.live())
    assert len(notices) >= 20
    assert {n.category for n in notices} == set(NoticePage.Category.values)
    assert any(n.is_pinned for n in notices)
    assert any(n.is_expired for n in notices)
    assert any(n.is_urgent for n in notices)
    assert len({n.date.year for n in notices}) >= 2
    for notice in notices:
        notice.full_clean()  # demo content obeys the same rules as editors

    policies = list(PolicyPage.objects.live())
    assert len(policies) >= 10
    assert {p.level for p in policies} == set(PolicyPage.Level.values)
    statuses = {p.status for p in policies}
    assert {"in_force", "revised", "repealed"} <= statuses
    assert any(p.is_interpretation for p in policies)
    assert all(p.topics.exists() for p in policies)

    for url in ["/", "/notices/", "/policies/", "/notices/?year=2025", "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
