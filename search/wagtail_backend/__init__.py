"""A Wagtail search backend that understands Chinese: ``WAGTAILSEARCH_BACKENDS``
``{"default": {"BACKEND": "search.wagtail_backend"}}``.

Wagtail's database backend hands whole runs of Chinese characters to SQLite
FTS5 or PostgreSQL as single tokens, so 物业费 never matches a title such as
关于规范物业费收取的通知. This backend keeps everything Wagtail's backend does
(index tables, ranking, filters, facets, autocomplete) and changes the two ends:
text is segmented with jieba before it is stored (``ObjectIndexer.prepare_value``)
and queries are parsed by ``search.query`` before they are matched
(``build_search_query_content`` / ``build_tsquery_content``).

The vendor modules are imported only for the database in use: Wagtail's SQLite
module needs the FTS model, which does not exist on PostgreSQL.
"""

from django.db import connection


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        from .postgres import ChinesePostgresSearchBackend

        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from wagtail.search.backends.database.sqlite.utils import fts5_available

        if fts5_available():
            from .sqlite import ChineseSQLiteSearchBackend

            return ChineseSQLiteSearchBackend(params)
    from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

    return DatabaseSearchBackend(params)
