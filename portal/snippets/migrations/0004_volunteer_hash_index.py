"""Drop the ``varchar_pattern_ops`` copy of the volunteer ID-number hash index (PostgreSQL).

Django gives every unique ``CharField`` on PostgreSQL a second ``…_like`` index
for ``LIKE 'abc%'`` queries. Nobody searches a keyed hash by prefix (look-ups
are by the whole hash, which the unique index serves), and every volunteer
insert paid for the second index: a quarter of the COPY of a 10⁵-row roster.
Django drops such an index with ``DROP INDEX IF EXISTS`` whenever it alters the
field, so a later migration of the field still runs. Other databases have no
such index: nothing to do there.
"""

from django.db import migrations

TABLE = "snippets_volunteer"
COLUMN = "id_number_hash"


def _like_index(schema_editor):
    return schema_editor._create_index_name(TABLE, [COLUMN], suffix="_like")


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_like_index(schema_editor))}")


def restore_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {quote(_like_index(schema_editor))}"
        f" ON {quote(TABLE)} ({quote(COLUMN)} varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("snippets", "0003_grid_coverage"),
    ]

    operations = [
        migrations.RunPython(drop_like_index, restore_like_index, elidable=False),
    ]
