"""Every model change ships with its migration; bulk-written columns carry only the indexes they need."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits non-zero when a migration is missing
        pytest.fail(f"缺少迁移文件：\n{out.getvalue()}（exit {exit_.code}）")


# Columns looked up whole or by equality, written in bulk: no prefix (LIKE) index.
NO_PREFIX_INDEX = {
    "snippets_volunteer": {"id_number_hash"},
    "cases_case": {"number", "status", "submission_key"},
    "care_careobject": {"id_number_hash"},
    "care_round": {"client_token"},
    "care_visit": {"client_token"},
}


@pytest.mark.django_db
def test_bulk_written_columns_carry_no_prefix_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL makes varchar_pattern_ops indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes"
            " WHERE tablename = ANY(%s) AND indexdef LIKE '%%pattern_ops%%'",
            [list(NO_PREFIX_INDEX)],
        )
        found = cursor.fetchall()
    prefixed = [
        (table, column)
        for table, definition in found
        for column in NO_PREFIX_INDEX[table]
        if f"({column} varchar_pattern_ops)" in definition
    ]
    assert prefixed == []
    # the unique and plain indexes that serve the look-ups are still there
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'cases_case'"
            " AND indexdef LIKE '%%(number)%%'"
        )
        assert cursor.fetchone()[0] >= 1
