"""The Chinese admin crawl reaches every care screen (so its English check covers them)."""

import pytest

from tests.admin.test_chinese_admin import crawl

CARE_SCREENS = [
    "/admin/snippets/care/careobject/",
    "/admin/snippets/care/careobject/add/",
    "/admin/snippets/care/careobject/edit/",
    "/admin/snippets/care/careobject/inspect/",
    "/admin/snippets/care/careobject/id-number/",
    "/admin/snippets/care/visit/",
    "/admin/snippets/care/visit/inspect/",
    "/admin/snippets/care/round/",
    "/admin/snippets/care/round/inspect/",
    "/admin/snippets/care/visitcadence/edit/",
    "/admin/snippets/care/gridrankingweights/edit/",
    "/admin/snippets/care/visitwarning/",
]


@pytest.mark.django_db
def test_town_admin_crawl_reaches_the_care_screens(admin_world):
    screens = crawl(admin_world.users.town_admin)
    reached = [url for url, (status, _) in screens.items() if status == 200]
    missing = [s for s in CARE_SCREENS if not any(url.startswith(s) for url in reached)]
    assert not missing, missing
