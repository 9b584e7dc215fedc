"""Drop the ``varchar_pattern_ops`` copies of three care indexes (PostgreSQL).

Django gives every indexed ``CharField`` on PostgreSQL a second ``…_like``
index for ``LIKE 'abc%'``. The care object's keyed ID-number hash and the
phones' once-only draft tokens of visits and rounds are looked up whole; no
query asks for a prefix, and every insert (a roster of care objects, a day of
visits) paid for them.
Django drops such an index with ``DROP INDEX IF EXISTS`` whenever it alters
the field, so a later migration of these fields still runs. Other databases
have no such index.
"""

from django.db import migrations

INDEXES = [
    ("care_careobject", "id_number_hash"),
    ("care_round", "client_token"),
    ("care_visit", "client_token"),
]


def _name(schema_editor, table, column):
    return schema_editor._create_index_name(table, [column], suffix="_like")


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        name = schema_editor.quote_name(_name(schema_editor, table, column))
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(_name(schema_editor, table, column))}"
            f" ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_like_indexes, restore_like_indexes, elidable=False),
    ]
