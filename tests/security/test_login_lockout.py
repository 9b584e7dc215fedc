"""Repeated failed logins lock the account for a while — through Wagtail's login view."""

import pytest
from django.contrib.auth import authenticate, get_user_model

from portal.security import lockout as lockout_rules

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"


@pytest.fixture
def alice(db):
    user = get_user_model().objects.create_user(
        username="alice", password="correct-horse", is_staff=True
    )
    user.is_superuser = True  # may use the admin
    user.save()
    return user


def login(client, password, username="alice"):
    return client.post("/admin/login/", {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


def test_lock_after_repeated_failures_even_with_the_right_password(client, alice, lockout):
    for attempt in range(2):
        response = login(client, "wrong")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode(), attempt
    response = login(client, "wrong")
    assert LOCKED in response.content.decode()
    assert "15 分钟" in response.content.decode()
    response = login(client, "correct-horse")
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    # every password path honours the lock, not just the form
    assert authenticate(username="alice", password="correct-horse") is None


def test_lock_is_per_account_and_case_insensitive(client, alice, lockout):
    get_user_model().objects.create_user(username="bob", password="bob-password-1")
    for _ in range(3):
        login(client, "wrong", username="ALICE")
    assert lockout_rules.locked_for("alice")
    login(client, "bob-password-1", username="bob")
    assert logged_in(client)


def test_success_resets_the_count(client, alice, lockout):
    login(client, "wrong")
    login(client, "wrong")
    login(client, "correct-horse")
    assert logged_in(client)
    client.logout()
    login(client, "wrong")
    login(client, "wrong")
    assert not lockout_rules.locked_for("alice")


def test_lock_expires(client, alice, lockout, monkeypatch):
    for _ in range(3):
        login(client, "wrong")
    assert lockout_rules.locked_for("alice") > 0
    real_time = lockout_rules.time.time
    monkeypatch.setattr(lockout_rules.time, "time", lambda: real_time() + 901)
    assert lockout_rules.locked_for("alice") == 0
    login(client, "correct-horse")
    assert logged_in(client)
