"""The one ``RATE_LIMITS`` setting: checked at start-up, overridden bucket by bucket."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from portal.security import ratelimit
from portal.security.ratelimit import DEFAULT_RATE_LIMITS, RateLimitMiddleware, parse_rate

ROOT = Path(__file__).resolve().parents[2]


def _rate_limit_messages():
    return [
        message
        for message in checks.run_checks()
        if message.id and message.id.startswith("portal_security.")
    ]


def test_a_bad_rate_fails_the_system_check_naming_the_bucket(settings):
    settings.RATE_LIMITS = {"case_report_phone": "5 per day"}
    [error] = _rate_limit_messages()
    assert error.level == checks.ERROR and error.id == "portal_security.E002"
    assert "case_report_phone" in error.msg and "5 per day" in error.msg
    assert "60/m" in error.hint
    with pytest.raises(SystemCheckError, match="case_report_phone"):
        call_command("check")


def test_a_bad_rate_stops_the_application_from_loading(settings):
    """gunicorn runs no system checks: the middleware refuses to load instead."""
    settings.RATE_LIMITS = {"search": "60/0m"}
    with pytest.raises(ImproperlyConfigured, match="无法识别的限流设置"):
        RateLimitMiddleware(lambda request: None)


def test_manage_py_check_refuses_a_bad_rate_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "RATE_LIMIT_QUESTION_PHONE": "fast",
        # accepted: "off" switches a bucket off; the store is an option, not a bucket
        "RATE_LIMIT_SEARCH": "off",
        "RATE_LIMIT_STORE": "database",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "portal_security.E002" in result.stderr
    assert "RATE_LIMITS['question_phone']" in result.stderr and "“fast”" in result.stderr
    assert "identified 1 issue" in result.stderr, result.stderr


def test_good_settings_pass_and_an_unknown_bucket_is_a_warning(settings):
    settings.RATE_LIMITS = {"search": "5/15m", "api": None, "case_tracking_number": " 3 / h "}
    assert _rate_limit_messages() == []
    settings.RATE_LIMITS = {"case_report_adress": "3/h"}
    [warning] = _rate_limit_messages()
    assert warning.level == checks.WARNING and "case_report_adress" in warning.msg
    assert "case_report_address" in warning.hint


def test_the_settings_merged_into_rate_limits_are_refused(settings):
    settings.CASE_TRACKING_LIMITS = {"number": (5, 900)}
    [error] = _rate_limit_messages()
    assert error.id == "portal_security.E003" and "CASE_TRACKING_LIMITS" in error.msg
    assert "case_tracking_number" in error.hint


def test_overriding_one_bucket_leaves_the_others_at_their_defaults(settings):
    settings.RATE_LIMITS = {"question_ip": "7/h"}
    assert ratelimit.rate_for("question_ip") == parse_rate("7/h")
    for bucket, default in DEFAULT_RATE_LIMITS.items():
        if bucket != "question_ip":
            assert ratelimit.rate_for(bucket) == parse_rate(default), bucket
    # None switches one bucket off, and only that one
    settings.RATE_LIMITS = {"search": None}
    assert ratelimit.rate_for("search") is None
    assert ratelimit.rate_for("api") == parse_rate(DEFAULT_RATE_LIMITS["api"])


@pytest.mark.django_db
def test_a_default_limit_still_counts_next_to_an_override(settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 2_000_000.0)
    settings.RATE_LIMITS = {"question_ip": "1/h"}
    assert ratelimit.count_hit("question_ip", "10.0.0.1") == 0
    assert ratelimit.count_hit("question_ip", "10.0.0.1") > 0
    default = parse_rate(DEFAULT_RATE_LIMITS["question_phone"])
    waits = [ratelimit.count_hit("question_phone", "13900000000") for _ in range(default.limit + 1)]
    assert waits[:-1] == [0] * default.limit and waits[-1] > 0


@pytest.mark.django_db
def test_a_blocking_bucket_refuses_the_key_for_a_whole_period(settings, monkeypatch):
    clock = [3_000_010.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    settings.RATE_LIMITS = {"case_tracking_number": "2/m"}
    assert ratelimit.count_hit("case_tracking_number", "n1", block=True) == 0
    assert ratelimit.blocked_for("case_tracking_number", "n1") == 0
    assert ratelimit.count_hit("case_tracking_number", "n1", block=True) == 60
    assert ratelimit.blocked_for("case_tracking_number", "n1") == 60
    assert ratelimit.blocked_for("case_tracking_number", "n2") == 0  # another key
    clock[0] += 55  # past the counting window's end, still inside the block
    assert ratelimit.blocked_for("case_tracking_number", "n1") == 5
    clock[0] += 6
    assert ratelimit.blocked_for("case_tracking_number", "n1") == 0


@pytest.mark.django_db
def test_count_hit_fails_open_when_the_store_is_down(settings, caplog):
    settings.RATE_LIMITS = {"case_report_phone": "1/d", "case_tracking_address": "1/h"}
    settings.RATE_LIMIT_STORE = "redis"
    settings.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens: refused
    assert [ratelimit.count_hit("case_report_phone", "139") for _ in range(3)] == [0, 0, 0]
    assert ratelimit.count_hit("case_tracking_address", "10.0.0.1", block=True) == 0
    assert ratelimit.blocked_for("case_tracking_address", "10.0.0.1") == 0
    assert "限流计数不可用" in caplog.text
