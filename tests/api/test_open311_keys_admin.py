"""Admin screens for Open311 keys: Chinese, superusers and county admins only, key shown once."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from portal import groups
from portal.api.models import Open311Key
from portal.api.open311 import keys
from portal.snippets.models import StaffRegion

pytestmark = pytest.mark.django_db

INDEX = "/admin/open311-keys/"


@pytest.fixture
def people(tree):
    groups.ensure_groups()
    users = get_user_model().objects

    def admin(username, group, region):
        user = users.create_user(username=username, password="pw")
        user.groups.add(Group.objects.get(name=group))
        StaffRegion.objects.create(user=user, region=region)
        return user

    return {
        "root": users.create_superuser(username="keyroot", password="pw"),
        "county": admin("county_admin", groups.COUNTY_ADMIN, tree.county),
        "town": admin("town_admin", groups.TOWN_ADMIN, tree.town),
    }


def test_superuser_issues_a_key_shown_once(client, people):
    client.force_login(people["root"])
    assert client.get(INDEX).status_code == 200
    response = client.post(reverse("open311_keys:add"), {"name": "东湖社区微信小程序"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "只显示这一次" in html
    [raw] = re.findall(r'value="(o311_[^"]+)"', html)
    key = keys.key_for(raw)
    assert key.name == "东湖社区微信小程序" and key.created_by == people["root"]
    assert "no-store" in response["Cache-Control"]
    # never again: not on the list, not on the edit page
    listing = client.get(INDEX).content.decode()
    assert "东湖社区微信小程序" in listing and key.prefix in listing and raw not in listing
    edit = client.get(reverse("open311_keys:edit", args=[key.pk])).content.decode()
    assert raw not in edit


def test_duplicate_name_is_refused_in_chinese(client, people):
    keys.issue_key("县级平台")
    client.force_login(people["root"])
    response = client.post(reverse("open311_keys:add"), {"name": "县级平台"})
    assert "已有名为“县级平台”" in response.content.decode()
    assert Open311Key.objects.count() == 1


def test_revoke_from_the_admin(client, people):
    key, raw = keys.issue_key("县级平台")
    client.force_login(people["county"])
    url = reverse("open311_keys:delete", args=[key.pk])
    page = client.get(url).content.decode()
    assert "确定吊销" in page
    response = client.post(url)
    assert response.status_code == 302
    assert keys.key_for(raw) is None
    key.refresh_from_db()
    assert key.revoked_at is not None  # kept for the record
    assert "已吊销" in client.get(INDEX).content.decode()


def test_town_admin_may_not_see_or_issue_keys(client, people):
    client.force_login(people["town"])
    assert client.get(INDEX).status_code in (302, 403)
    client.post(reverse("open311_keys:add"), {"name": "偷偷签发"})
    assert not Open311Key.objects.exists()
    assert "open311-keys" not in client.get("/admin/").content.decode()


def test_county_admin_sees_the_menu_item(client, people):
    client.force_login(people["county"])
    assert client.get(INDEX).status_code == 200


def _log_of(key):
    from wagtail.models import ModelLogEntry

    return list(ModelLogEntry.objects.filter(object_id=str(key.pk)).order_by("timestamp", "pk"))


def test_issue_rename_and_revoke_are_in_the_audit_log(client, people):
    client.force_login(people["county"])
    client.post(reverse("open311_keys:add"), {"name": "县级平台"})
    key = Open311Key.objects.get(name="县级平台")
    client.post(reverse("open311_keys:edit", args=[key.pk]), {"name": "县级社会治理平台"})
    client.post(reverse("open311_keys:delete", args=[key.pk]))
    entries = _log_of(key)
    assert [entry.action for entry in entries] == [
        "wagtail.create",
        "wagtail.edit",
        keys.REVOKE_ACTION,
    ]
    assert {entry.user for entry in entries} == {people["county"]}
    assert entries[-1].label.startswith("县级社会治理平台")
    # the site history names the action in Chinese and never shows the key
    client.force_login(people["root"])
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "吊销了 Open311 接口密钥" in history or "吊销 Open311 接口密钥" in history
    assert key.key_hash not in history


def test_command_line_issue_and_revoke_are_logged_as_the_system(people):
    from django.core.management import call_command

    call_command("open311_key", "create", "东湖社区微信小程序", stdout=io.StringIO())
    call_command("open311_key", "revoke", "东湖社区微信小程序", stdout=io.StringIO())
    key = Open311Key.objects.get(name="东湖社区微信小程序")
    entries = _log_of(key)
    assert [entry.action for entry in entries] == ["wagtail.create", keys.REVOKE_ACTION]
    assert all(entry.user is None for entry in entries)
    # revoking twice writes nothing more
    assert keys.revoke_key(key) is False
    assert len(_log_of(key)) == 2
