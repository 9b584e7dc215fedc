"""Security tests use small limits on the local-memory cache (cleared before each
test by the autouse fixture in tests/conftest.py)."""

import pytest
from django.core.cache import caches

from portal.security import ratelimit


@pytest.fixture
def limits(settings, monkeypatch):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sec"}
    }
    settings.RATE_LIMITS = {"search": "3/m", "api": "4/m", "login": "2/m"}
    caches["default"].clear()
    # A fixed clock: a test's requests must not straddle a window boundary.
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_000_020.0)
    return settings.RATE_LIMITS


@pytest.fixture
def lockout(settings):
    settings.RATE_LIMITS = {"search": None, "api": None, "login": None}
    settings.LOGIN_LOCKOUT = {"failures": 3, "window": 900, "lock": 900}
    return settings.LOGIN_LOCKOUT
