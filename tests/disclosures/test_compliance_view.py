"""Compliance from the database: the loader, the public page and its query count."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from portal.pages.disclosures import compliance
from portal.pages.models import DisclosureCatalogItem

pytestmark = pytest.mark.django_db

D = datetime.date


def test_first_published_at_is_judged_by_its_local_date(tree, catalog, make_disclosure, donghu):
    # 2026-11-10 23:30 in Shanghai is 15:30 UTC on the same day; 00:30 on the 11th is still
    # the 10th in UTC. Only the local date may decide.
    make_disclosure(
        kind="finance", period_type="month", period_number=10, catalog_item=catalog["finance_month"]
    )
    make_disclosure(
        village="西岭村",
        kind="finance",
        period_type="month",
        period_number=10,
        catalog_item=catalog["finance_month"],
    )
    pages = list(Page.objects.filter(depth=5).order_by("path"))
    tz = timezone.get_current_timezone()
    pages[0].specific.__class__.objects.filter(pk=pages[0].pk).update(
        first_published_at=datetime.datetime(2026, 11, 10, 23, 30, tzinfo=tz)
    )
    pages[1].specific.__class__.objects.filter(pk=pages[1].pk).update(
        first_published_at=datetime.datetime(2026, 11, 11, 0, 30, tzinfo=tz)
    )
    _, _, entries = compliance.load_report(today=D(2026, 11, 30))
    october = {
        e.subject.name: e.status
        for e in entries
        if e.item.id == catalog["finance_month"].id and e.period.number == 10
    }
    assert october["东湖社区"] == compliance.ON_TIME
    assert october["西岭村"] == compliance.LATE
    assert october["南坪村"] == compliance.MISSING


def test_drafts_and_unpublished_pages_do_not_count(tree, catalog, make_disclosure):
    make_disclosure(catalog_item=catalog["meeting"], period_number=1, live=False)
    _, _, entries = compliance.load_report(today=D(2026, 5, 1))
    q1 = [
        e
        for e in entries
        if e.subject.name == "东湖社区"
        and e.item.id == catalog["meeting"].id
        and e.period.number == 1
    ]
    assert [e.status for e in q1] == [compliance.MISSING]


def test_region_scope_limits_the_report(tree, catalog, donghu):
    subjects, _, entries = compliance.load_report(today=D(2026, 5, 1), region_ids={donghu.id})
    assert [s.name for s in subjects] == ["东湖社区"]
    assert {e.subject.name for e in entries} == {"东湖社区"}


def test_inactive_items_are_not_required(tree, catalog):
    DisclosureCatalogItem.objects.update(active=False)
    _, items, entries = compliance.load_report(today=D(2026, 5, 1))
    assert (items, entries) == ([], [])


def test_loader_uses_three_queries_whatever_the_size(
    tree, catalog, make_disclosure, django_assert_num_queries, regions
):
    catalog["meeting"].applies_to.add(regions["东湖社区"], regions["西岭村"])
    for n in range(1, 4):
        make_disclosure(
            catalog_item=catalog["meeting"], period_number=n, published_on=D(2026, 3 * n + 1, 5)
        )
    compliance.load_inputs()  # warms Wagtail's cached site roots (used for the links)
    with django_assert_num_queries(3):
        subjects, items, disclosures = compliance.load_inputs()
    assert len(disclosures) == 3
    assert {i.name: i.region_ids for i in items}["村民会议决定及执行"] == frozenset(
        {regions["东湖社区"].id, regions["西岭村"].id}
    )


@pytest.fixture
def states(tree, catalog, make_disclosure):
    """One village per state, as of the real today (the view judges on today)."""
    today = timezone.localdate()
    year = today.year - 1
    catalog["assets"].active_from = D(year, 1, 1)
    catalog["assets"].save()
    due = D(year + 1, 1, 20)
    make_disclosure(
        kind="finance",
        period_type="year",
        year=year,
        catalog_item=catalog["assets"],
        published_on=due,
        title="东湖社区集体资产公开",
    )
    make_disclosure(
        village="西岭村",
        kind="finance",
        period_type="year",
        year=year,
        catalog_item=catalog["assets"],
        published_on=due + datetime.timedelta(days=3),
        title="西岭村集体资产公开",
    )
    return today


def test_public_page_shows_every_state_in_words(client, states, catalog):
    response = client.get("/disclosures/compliance/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("按时", "逾期", "缺失", "未到期"):
        assert label in html
    assert 'class="status status-on_time"' in html
    assert 'class="status status-late"' in html
    assert 'class="status status-missing"' in html
    assert 'class="status status-pending"' in html
    assert "10日内" in html  # the residents' right to an answer
    assert "东湖社区集体资产公开" in html  # links to the disclosure that fulfilled the item
    assert "/disclosures/donghu/" in html


def test_public_page_summary_counts(client, states, catalog):
    response = client.get("/disclosures/compliance/")
    by_name = {s.subject.name: s.summary for s in response.context["sections"]}
    year_item = catalog["assets"]
    assert by_name["东湖社区"].counts[compliance.ON_TIME] >= 1
    assert by_name["西岭村"].counts[compliance.LATE] == 1
    assert by_name["南坪村"].counts[compliance.ON_TIME] == 0
    assert year_item.name in response.content.decode()


def test_public_page_query_count_does_not_grow_with_disclosures(
    client, tree, catalog, make_disclosure, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_ENABLED = False  # the uncached path; tests/cache covers the cache
    today = timezone.localdate()
    catalog["meeting"].active_from = D(today.year - 1, 1, 1)
    catalog["meeting"].save()
    # the four latest quarters: what the public matrix shows
    quarters = compliance.periods_between("quarter", catalog["meeting"].active_from, today)[-4:]

    def publish(village, period):
        make_disclosure(
            village=village,
            catalog_item=catalog["meeting"],
            year=period.year,
            period_number=period.number,
            published_on=today,
        )

    publish("东湖社区", quarters[0])
    client.get("/disclosures/compliance/")  # warm Wagtail's site-root cache
    # regions, catalog, disclosures, plus Wagtail's site lookup and site roots
    with django_assert_max_num_queries(5):
        client.get("/disclosures/compliance/")
    for period in quarters[1:]:
        for village in ("东湖社区", "西岭村"):
            publish(village, period)
    client.get("/disclosures/compliance/")
    with django_assert_max_num_queries(5):
        response = client.get("/disclosures/compliance/")
    assert response.content.decode().count("查看<span") == 7


def test_page_tree_cannot_hide_the_compliance_url(tree):
    # /disclosures/compliance/ is served by the app's view before Wagtail's pages.
    from django.urls import resolve

    assert resolve("/disclosures/compliance/").url_name == "disclosure_compliance"
