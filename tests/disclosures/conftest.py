"""Fixtures of the disclosure tests: regions, the page tree, workflows, users in groups.

The tree mirrors the demo: HomePage → /disclosures/ (the town's index) → one
index per village. ``ensure_page_permissions`` and ``ensure_disclosure_workflows``
run exactly as in a deployment, so the workflow tests exercise the real grants.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from demo import regions as demo_regions
from portal.groups import EDITOR, SUPERVISION_COMMITTEE, ensure_groups
from portal.pages.models import (
    DisclosureCatalogItem,
    DisclosureIndexPage,
    DisclosurePage,
    FinanceLineItem,
)
from portal.pages.permissions import (
    committee_group_for,
    ensure_disclosure_workflows,
    ensure_page_permissions,
)
from portal.snippets.models import StaffRegion
from tests.factories import document, site_home


def at(day, hour=9):
    """A local, aware datetime on ``day`` (what first_published_at stores)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def regions(db):
    demo_regions.load(io.StringIO())
    villages = demo_regions.demo_villages()
    return {"town": demo_regions.demo_town(), **{v.name: v for v in villages}}


@pytest.fixture
def donghu(regions):
    return regions["东湖社区"]


@pytest.fixture
def xiling(regions):
    return regions["西岭村"]


@pytest.fixture
def home(db):
    return site_home()


@pytest.fixture
def tree(home, regions):
    """{'town': /disclosures/, '东湖社区': /disclosures/donghu/, '西岭村': /disclosures/xiling/}."""
    town = home.add_child(
        instance=DisclosureIndexPage(title="村务公开", slug="disclosures", region=regions["town"])
    )
    donghu = town.add_child(
        instance=DisclosureIndexPage(
            title="东湖社区村务公开栏", slug="donghu", region=regions["东湖社区"]
        )
    )
    xiling = town.add_child(
        instance=DisclosureIndexPage(
            title="西岭村村务公开栏", slug="xiling", region=regions["西岭村"]
        )
    )
    ensure_groups()
    ensure_page_permissions(home)
    ensure_disclosure_workflows()
    return {"town": town, "东湖社区": donghu, "西岭村": xiling}


def _user(username, groups=(), region=None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, **fields
    )
    user.groups.add(*groups)
    if region is not None:
        StaffRegion.objects.create(user=user, region=region)
    return user


@pytest.fixture
def editor(tree, regions):
    return _user("editor", [Group.objects.get(name=EDITOR)], regions["town"])


@pytest.fixture
def donghu_committee(tree, donghu):
    generic = Group.objects.get(name=SUPERVISION_COMMITTEE)
    return _user(
        "jw_donghu",
        [generic, committee_group_for(donghu)],
        donghu,
        last_name="陈",
        first_name="立新",
    )


@pytest.fixture
def xiling_committee(tree, xiling):
    generic = Group.objects.get(name=SUPERVISION_COMMITTEE)
    return _user("jw_xiling", [generic, committee_group_for(xiling)], xiling)


@pytest.fixture
def catalog(regions):
    """A catalog of the four frequencies, active since 2026-01-01, for every village."""
    start = datetime.date(2026, 1, 1)
    return {
        "finance_month": DisclosureCatalogItem.objects.create(
            name="财务收支", kind="finance", frequency="month", due_day=10, active_from=start
        ),
        "meeting": DisclosureCatalogItem.objects.create(
            name="村民会议决定及执行",
            kind="village",
            frequency="quarter",
            due_day=20,
            active_from=start,
        ),
        "assets": DisclosureCatalogItem.objects.create(
            name="集体资产", kind="finance", frequency="year", due_day=20, active_from=start
        ),
        "major": DisclosureCatalogItem.objects.create(
            name="重大事项", kind="village", frequency="immediate", due_day=7, active_from=start
        ),
    }


@pytest.fixture
def make_disclosure(tree):
    """Create (and by default publish) a disclosure under a village index."""
    counter = iter(range(1, 1_000_000))

    def make(village="东湖社区", published_on=None, live=True, lines=(), **fields):
        n = next(counter)
        fields.setdefault("title", f"公开内容{n}")
        fields.setdefault("slug", f"disclosure-{n}")
        fields.setdefault("kind", "village")
        fields.setdefault("period_type", "quarter")
        fields.setdefault("year", 2026)
        if fields["period_type"] in ("month", "quarter"):
            fields.setdefault("period_number", 3)
        if fields["kind"] == "finance":
            fields.setdefault("opening_balance", Decimal("1000.00"))
        page = DisclosurePage(live=live, **fields)
        if published_on is not None:
            page.first_published_at = at(published_on)
        page.finance_items = [
            FinanceLineItem(direction=d, item=i, amount=Decimal(a)) for d, i, a in lines
        ]
        return tree[village].add_child(instance=page)

    return make


@pytest.fixture
def make_document():
    def make(title="附件", name="file.csv", content=b"a,b\n1,2\n"):
        return document(title, name, content)

    return make


def form_data(lines=(), **fields):
    """POST data of the Wagtail page form for a DisclosurePage (what the admin submits)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": "东湖社区2026年第3季度村民会议决定事项及执行情况",
        "slug": "meeting-2026-q3",
        "kind": "village",
        "period_type": "quarter",
        "year": "2026",
        "period_number": "3",
        "matter_date": "",
        "catalog_item": "",
        "summary": "本季度召开村民代表会议两次。",
        "opening_balance": "",
        "body": streamfield([]),
        "finance_items": inline_formset(
            [{"direction": d, "item": i, "amount": a, "note": ""} for d, i, a in lines]
        ),
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(parent):
    from django.urls import reverse

    return reverse("wagtailadmin_pages:add", args=("pages", "disclosurepage", parent.pk))


def edit_url(page):
    from django.urls import reverse

    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.fixture
def submitted(client, editor, tree):
    """A disclosure the editor created in 东湖社区 and submitted for moderation."""
    client.force_login(editor)
    response = client.post(add_url(tree["东湖社区"]), {**form_data(), "action-submit": "1"})
    assert response.status_code == 302
    client.logout()
    return DisclosurePage.objects.get(slug="meeting-2026-q3")
