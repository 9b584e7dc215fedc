"""The settings a deployment relies on."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_chinese_locale_and_timezone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def _import_production(env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "PII_KEY"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_production({"ALLOWED_HOSTS": "example.org", "PII_KEY": "x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_production({"SECRET_KEY": "s" * 50, "PII_KEY": "x"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_its_environment_and_debug_off():
    result = _import_production(
        {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "example.org", "PII_KEY": "k" * 32}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
