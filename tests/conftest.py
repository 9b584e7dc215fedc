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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Remove the shipped case-category catalog (cases migration 0004) from the test database.

    Area fixtures create the categories each test needs, and a transactional
    test's flush empties the table anyway, so no test may depend on the catalog
    being there. ``tests/setup/test_categories.py`` runs the migration's own
    function to test the catalog itself.
    """
    with django_db_blocker.unblock():
        from django.db import connection

        from portal.cases.models import CaseCategory

        # e2e tests run alone set their database up themselves (tests/e2e/conftest.py)
        if CaseCategory._meta.db_table in connection.introspection.table_names():
            CaseCategory.objects.all().delete()
