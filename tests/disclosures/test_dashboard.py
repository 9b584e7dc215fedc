"""The overdue-disclosures panel on the Wagtail dashboard, limited to the user's villages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.groups import EDITOR
from portal.pages.disclosures.hooks import overdue_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(catalog):
    """Monthly finance required since four months ago: several months are now missing."""
    today = timezone.localdate()
    item = catalog["finance_month"]
    item.active_from = today - datetime.timedelta(days=120)
    item.save()
    return today


def test_panel_lists_missing_disclosures_of_the_users_village_only(
    client, overdue, donghu_committee
):
    client.force_login(donghu_committee)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "村务公开：逾期未公开与即将到期" in html
    assert "东湖社区" in html and "财务收支" in html and "逾期" in html
    assert "西岭村" not in html
    missing, _ = overdue_for_user(donghu_committee, overdue)
    assert missing and {e.subject.name for e in missing} == {"东湖社区"}


def test_superuser_sees_every_village(client, overdue, django_user_model, tree):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    missing, _ = overdue_for_user(admin, overdue)
    assert {e.subject.name for e in missing} == {"东湖社区", "西岭村", "南坪村", "北塘社区"}
    client.force_login(admin)
    assert "西岭村" in client.get("/admin/").content.decode()


def test_user_without_a_region_sees_no_panel(client, overdue, django_user_model, tree):
    user = django_user_model.objects.create_user("nobody", password="pw")
    user.groups.add(Group.objects.get(name=EDITOR))
    assert overdue_for_user(user, overdue) == ([], [])
    client.force_login(user)
    assert "逾期未公开" not in client.get("/admin/").content.decode()


def test_published_periods_leave_the_panel(overdue, donghu_committee, make_disclosure, catalog):
    missing, _ = overdue_for_user(donghu_committee, overdue)
    first = next(e for e in missing if e.item.id == catalog["finance_month"].id)
    make_disclosure(
        kind="finance",
        period_type="month",
        year=first.period.year,
        period_number=first.period.number,
        catalog_item=catalog["finance_month"],
        published_on=overdue,
    )
    after, _ = overdue_for_user(donghu_committee, overdue)
    assert len(after) == len(missing) - 1
    assert (first.item.id, first.period) not in {(e.item.id, e.period) for e in after}


def test_catalog_is_managed_as_a_snippet(client, django_user_model, catalog):
    from django.urls import reverse

    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    list_url = reverse("wagtailsnippets_pages_disclosurecatalogitem:list")
    assert "村民会议决定及执行" in client.get(list_url).content.decode()
    add_url = reverse("wagtailsnippets_pages_disclosurecatalogitem:add")
    response = client.post(
        add_url,
        {
            "name": "财务收支（月度）",
            "kind": "finance",
            "frequency": "month",
            "due_day": "0",
            "active_from": "2026-01-01",
            "active": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200
    assert "月度/季度/年度事项的截止日应为1至31日" in response.content.decode()
