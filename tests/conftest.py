"""Shared fixtures. Area-specific fixtures live in each test folder's conftest."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_caches():
    """Rate-limit counters and login lockouts live in the cache: start each test clean."""
    for cache in caches.all():
        cache.clear()
    yield
