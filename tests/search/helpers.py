"""Helpers shared by the search tests."""

from django.db import connection

from search.backends.embedded import FTS_TABLE, PG_TABLE


def indexed_ids():
    """Case ids present in the embedded index, read straight from its table."""
    sql = (
        f"SELECT rowid FROM {FTS_TABLE}"
        if connection.vendor == "sqlite"
        else f"SELECT case_id FROM {PG_TABLE}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}
