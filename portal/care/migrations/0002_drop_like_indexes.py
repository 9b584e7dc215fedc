"""Drop the prefix (``LIKE``) copies of three care indexes (PostgreSQL).

The care object's keyed ID-number hash and the phones' once-only draft tokens
of visits and rounds are looked up whole; every insert paid for the extra
indexes. See ``portal.prefix_indexes``.
"""

from django.db import migrations

from portal.prefix_indexes import drop_prefix_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
    ]

    operations = [
        drop_prefix_indexes(
            ("care_careobject", "id_number_hash"),
            ("care_round", "client_token"),
            ("care_visit", "client_token"),
        )
    ]
