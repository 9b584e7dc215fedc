"""Helpers shared by the search tests."""

from django.db import connection

from search.backends.embedded import FILTER_TABLE, FTS_TABLE, PG_DOCUMENT_TABLE, PG_TABLE


def indexed_ids():
    """Case ids present in the embedded index, read straight from its tables.

    The two tables of each database must agree.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")
            texts = {row[0] for row in cursor.fetchall()}
            cursor.execute(f"SELECT case_id FROM {FILTER_TABLE}")
            filters = {row[0] for row in cursor.fetchall()}
            assert texts == filters
            return texts
        cursor.execute(f"SELECT case_id FROM {PG_TABLE}")
        public = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT case_id FROM {PG_DOCUMENT_TABLE}")
        assert public == {row[0] for row in cursor.fetchall()}
        return public
