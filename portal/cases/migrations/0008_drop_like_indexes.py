"""Drop the prefix (``LIKE``) copies of three case indexes (PostgreSQL).

The case number and the once-only submission key are looked up whole, the
status by equality; every case insert (a 200,000-row ledger) paid for the three
extra indexes. See ``portal.prefix_indexes``.
"""

from django.db import migrations

from portal.prefix_indexes import drop_prefix_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_resident_tracking"),
    ]

    operations = [
        drop_prefix_indexes(
            ("cases_case", "number"), ("cases_case", "status"), ("cases_case", "submission_key")
        )
    ]
