"""Drop the prefix (``LIKE``) copy of the volunteer ID-number hash index (PostgreSQL).

Look-ups are by the whole keyed hash, which the unique index serves; the second
index cost a quarter of the COPY of a 10⁵-row roster. See ``portal.prefix_indexes``.
"""

from django.db import migrations

from portal.prefix_indexes import drop_prefix_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("snippets", "0003_grid_coverage"),
    ]

    operations = [drop_prefix_indexes(("snippets_volunteer", "id_number_hash"))]
