"""Rebuild the embedded case index structures with the filter columns beside the text.

Drops the old structures and creates the current ones (see
``search.backends.embedded``). The index is derived data: run
``manage.py rebuild_search_index`` afterwards on a database that has cases.
"""

from django.db import migrations


def _dialect(schema_editor):
    from search.backends import embedded

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return embedded.SQLiteDialect()
    if vendor == "postgresql":
        return embedded.PostgresDialect()
    return None


def recreate(apps, schema_editor):
    dialect = _dialect(schema_editor)
    if dialect is not None:
        for statement in [*dialect.drop_sql(), *dialect.create_sql()]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_starter_synonyms")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
