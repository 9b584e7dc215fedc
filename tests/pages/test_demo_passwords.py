"""The dev-only command that gives the demo's staff accounts passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users():
    User = get_user_model()
    return [User.objects.create_user(name) for name in ("demo_editor", "demo_grid_worker")]


def test_sets_and_prints_passwords_in_development(settings, demo_users, capsys):
    settings.DEBUG = True
    call_command("demo_passwords")
    out = capsys.readouterr().out
    User = get_user_model()
    for line, username in (("宣传编辑", "demo_editor"), ("网格员", "demo_grid_worker")):
        printed = next(row for row in out.splitlines() if f"用户名 {username} " in row)
        assert line in printed
        password = printed.rsplit("密码 ", 1)[1].strip()
        assert User.objects.get(username=username).check_password(password)


def test_refused_when_debug_is_off(settings, demo_users, capsys):
    settings.DEBUG = False
    with pytest.raises(SystemExit) as exit_info:
        call_command("demo_passwords")
    assert exit_info.value.code == 2
    assert "仅在开发环境" in capsys.readouterr().err
    assert not get_user_model().objects.get(username="demo_editor").has_usable_password()


def test_refused_under_production_settings_even_with_debug(settings, demo_users, capsys):
    settings.DEBUG = True
    settings.SETTINGS_MODULE = "portal.settings.production"
    with pytest.raises(SystemExit) as exit_info:
        call_command("demo_passwords")
    assert exit_info.value.code == 2
    assert "生产环境" in capsys.readouterr().err
