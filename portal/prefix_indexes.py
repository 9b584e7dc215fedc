"""A migration operation: drop the PostgreSQL prefix (``LIKE``) copy of some indexes.

Django gives every indexed or unique ``CharField`` on PostgreSQL a second
``…_like`` index (``varchar_pattern_ops``) for ``LIKE 'abc%'``. A column that is
only ever looked up whole or by equality, and written in bulk (an ID-number
hash, a case number, a once-only token), pays for that index on every insert and
never uses it. Django drops such an index with ``DROP INDEX IF EXISTS`` whenever
it alters the field, so a later migration of the field still runs. Other
databases have no such index: the operation does nothing there. Reversible.
"""

from django.db import migrations


def _name(schema_editor, table, column):
    return schema_editor._create_index_name(table, [column], suffix="_like")


def drop_prefix_indexes(*columns):
    """A ``RunPython`` dropping the ``_like`` index of each ``(table, column)``."""

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            name = schema_editor.quote_name(_name(schema_editor, table, column))
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def restore(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for table, column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(_name(schema_editor, table, column))}"
                f" ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
            )

    return migrations.RunPython(drop, restore, elidable=False)
