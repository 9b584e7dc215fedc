"""List pages cost a fixed number of queries however many rows they show (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    """These figures are the uncached path; tests/cache covers the page cache."""
    settings.PAGE_CACHE_ENABLED = False


# Upper bounds measured on SQLite and PostgreSQL with some headroom; a per-row
# query (N+1) would blow far past them with 50 rows.
MAX_NOTICE_LIST = 14
MAX_POLICY_LIST = 16
# Home: site, route, the page's own restrictions, notices (pinned and latest in one),
# section indexes, policies, disclosures per village = 8 (issue 14: at most 10).
MAX_HOME = 10


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (site root paths) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def fill_notices(make_notice, today, n):
    for i in range(n):
        make_notice(
            date=today - days(i),
            pinned=i % 10 == 0,
            valid_until=today - days(1) if i % 7 == 0 else None,
            category=["notice", "urgent", "publicity"][i % 3],
            summary="摘要" * 10,
        )


def fill_policies(make_policy, n):
    base = make_policy(title="基础文件", topics=["基层治理"])
    for i in range(n):
        make_policy(
            issue_date=datetime.date(2020, 1, 1) + days(i),
            topics=["社会救助", f"主题{i % 5}"],
            interprets=base if i % 4 == 0 else None,
            superseded_by=base if i % 6 == 0 else None,
        )


def test_notice_list_of_50(client, notice_index, make_notice, today, django_assert_max_num_queries):
    fill_notices(make_notice, today, 5)
    small = count_queries(client, "/notices/")
    fill_notices(make_notice, today, 45)
    with django_assert_max_num_queries(MAX_NOTICE_LIST):
        response = client.get("/notices/")
    assert response.content.decode().count('class="notice-item') == 20
    assert count_queries(client, "/notices/") == small
    assert count_queries(client, "/notices/?category=urgent&year=2026&page=2") <= MAX_NOTICE_LIST


def test_policy_list_of_50(client, policy_index, make_policy, django_assert_max_num_queries):
    fill_policies(make_policy, 5)
    small = count_queries(client, "/policies/")
    fill_policies(make_policy, 45)
    with django_assert_max_num_queries(MAX_POLICY_LIST):
        response = client.get("/policies/")
    assert response.content.decode().count('class="policy-item"') == 20
    assert count_queries(client, "/policies/") == small
    assert count_queries(client, "/policies/?status=revised&topic=社会救助") <= MAX_POLICY_LIST


def test_home_page_with_50_notices_and_policies(
    client,
    home,
    notice_index,
    policy_index,
    make_notice,
    make_policy,
    today,
    django_assert_max_num_queries,
):
    fill_notices(make_notice, today, 50)
    fill_policies(make_policy, 50)
    with django_assert_max_num_queries(MAX_HOME):
        response = client.get("/")
    assert response.status_code == 200


def test_home_lists_with_more_pins_than_shown(client, home, notice_index, make_notice, today):
    """Seven active pins: five shown as pinned, and the latest list is still full."""
    for i in range(7):
        make_notice(title=f"置顶{i}", date=today - days(i), pinned=True)
    for i in range(8):
        make_notice(title=f"普通{i}", date=today - days(20 + i))
    from portal.pages.models import NoticePage

    sections = NoticePage.objects.published(home).for_home(today)
    pinned, latest = sections.pinned, sections.latest
    assert [n.title for n in pinned] == [f"置顶{i}" for i in range(5)]
    assert [n.title for n in latest] == [f"普通{i}" for i in range(6)]


def test_home_query_count_with_a_private_section(
    client, home, notice_index, make_notice, today, django_assert_max_num_queries
):
    from wagtail.models import PageViewRestriction

    make_notice(title="公开的通知")
    secret = make_notice(title="内部的通知")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    client.get("/")
    with django_assert_max_num_queries(MAX_HOME):
        body = client.get("/").content.decode()
    assert "公开的通知" in body and "内部的通知" not in body
