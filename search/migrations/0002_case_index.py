"""Create the embedded case index for the database in use.

SQLite: an FTS5 virtual table; PostgreSQL: a side table with a tsvector column
and a GIN index. Neither is a Django model (Django cannot describe either), so
the SQL lives in ``search.backends.embedded`` and is run here per vendor.
After upgrading an existing database, run ``manage.py rebuild_search_index``.
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


def create_index(apps, schema_editor):
    dialect = _dialect(schema_editor)
    if dialect is not None:
        for statement in dialect.create_sql():
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    dialect = _dialect(schema_editor)
    if dialect is not None:
        for statement in dialect.drop_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_synonyms")]

    operations = [migrations.RunPython(create_index, drop_index)]
