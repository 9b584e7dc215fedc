"""The full demo site in the test database, built once and taken away exactly.

``load_demo_data`` takes tens of seconds, so the tests that need the whole demo
(the privacy crawls, the hostile-parameter walk, the CSP crawl, the API leak
checks) share one build (``demo_data`` in tests/conftest.py) and the e2e
package has its own (tests/e2e/conftest.py). Afterwards the database is
flushed and put back as it was before the build, so later tests and a reused
test database (``--reuse-db``) see nothing of it.
"""

import io
from contextlib import contextmanager
from pathlib import Path


def assert_test_database(connection):
    """Refuse to build the demo anywhere but in a test database."""
    name = str(connection.settings_dict["NAME"])
    if not ("memory" in name or Path(name).name.startswith("test")):
        raise RuntimeError(f"测试拒绝向非测试数据库写入演示数据：{name}")


def ensure_wagtail_roots():
    """Put back the rows Wagtail's migrations create, if a flush has removed them.

    A transactional test that ran before (pytest-django flushes after each one)
    leaves the tables empty but for content types and permissions; the demo
    loader needs the root page, the root collection and the default locale.
    """
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def reset_sequences(connection):
    """After rows are restored with their own ids, move id sequences past them (as loaddata does)."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def demo_database(django_db_blocker):
    """The demo loaded and committed for the block; the database as before afterwards."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        assert_test_database(connection)
        before = connection.creation.serialize_db_to_string()
        ensure_wagtail_roots()
        call_command("load_demo_data", stdout=io.StringIO())
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            reset_sequences(connection)
            ContentType.objects.clear_cache()
