"""The full ID number: only with snippets.view_full_id_number, only on POST, always logged."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.snippets.admin_views import VIEW_ID_NUMBER_ACTION
from portal.snippets.volunteering import full_id_number

from .conftest import login, make_user

pytestmark = pytest.mark.django_db


def reveal_url(volunteer):
    return reverse("wagtailsnippets_snippets_volunteer:reveal_id", args=[volunteer.pk])


def logs_for(volunteer):
    return ModelLogEntry.objects.filter(object_id=str(volunteer.pk), action=VIEW_ID_NUMBER_ACTION)


def test_post_reveals_and_writes_the_audit_log(client, world):
    login(client, world.town_admin_a)
    number = full_id_number(world.vol_x)
    page = client.get(reveal_url(world.vol_x))
    assert page.status_code == 200
    assert number not in page.content.decode()
    assert not logs_for(world.vol_x).exists()  # looking at the confirmation logs nothing

    response = client.post(reveal_url(world.vol_x))
    assert response.status_code == 200
    assert number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = logs_for(world.vol_x).get()
    assert entry.user_id == world.town_admin_a.pk
    assert entry.label == str(world.vol_x)
    assert number not in str(entry.data)  # the log records the view, not the number


def test_log_action_has_a_chinese_label_in_history(client, world):
    login(client, world.town_admin_a)
    client.post(reveal_url(world.vol_x))
    history = client.get(
        reverse("wagtailsnippets_snippets_volunteer:history", args=[world.vol_x.pk])
    )
    assert "查看完整身份证号" in history.content.decode()


def test_users_without_the_permission_get_403_and_no_log(client, world):
    # Village staff may edit volunteers but not see full ID numbers.
    login(client, world.village_staff_x)
    for method in (client.get, client.post):
        response = method(reveal_url(world.vol_x))
        assert response.status_code == 403
        assert full_id_number(world.vol_x) not in response.content.decode()
    assert not logs_for(world.vol_x).exists()


def test_the_permission_alone_is_enough_but_not_outside_scope(client, world):
    user = make_user("auditor", regions=[world.x])
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_full_id_number"),
    )
    login(client, user)
    assert client.post(reveal_url(world.vol_x)).status_code == 200
    response = client.post(reveal_url(world.vol_z))
    assert response.status_code == 404
    assert full_id_number(world.vol_z) not in response.content.decode()
    assert not logs_for(world.vol_z).exists()


def test_button_shown_only_to_holders(client, world):
    edit = reverse("wagtailsnippets_snippets_volunteer:edit", args=[world.vol_x.pk])
    login(client, world.town_admin_a)
    assert reveal_url(world.vol_x) in client.get(edit).content.decode()
    login(client, world.village_staff_x)
    assert reveal_url(world.vol_x) not in client.get(edit).content.decode()
