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


# --- the full demo site, built once for the tests that read it -------------------------------

DEMO = "demo_data"


def pytest_collection_modifyitems(config, items):
    """Tests on the full demo run last (in their own order), so that the demo is built
    once, after every other test, and nothing else runs while it is in the database."""
    items.sort(key=lambda item: DEMO in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test.utils import override_settings

    from tests.demo_site import demo_database

    media = tmp_path_factory.mktemp("demo") / "media"
    with override_settings(MEDIA_ROOT=media), demo_database(django_db_blocker):
        yield media


@pytest.fixture
def demo_data(_demo_database, db, settings):
    """The full demo (``load_demo_data``); each test's own writes are rolled back."""
    settings.MEDIA_ROOT = _demo_database
