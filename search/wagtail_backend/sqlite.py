"""The Chinese Wagtail search backend on SQLite FTS5 (see the package docstring)."""

from django.db.models.expressions import Expression
from wagtail.search.backends.database.sqlite.query import SearchQueryCombinable, SearchQueryField
from wagtail.search.backends.database.sqlite.sqlite import (
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)

from .common import (
    EmptyQueryMixin,
    SegmentedIndexMixin,
    parse_wagtail_query,
    query_mode,
    segmenting_prepare_value,
)


class SegmentingObjectIndexer(ObjectIndexer):
    prepare_value = segmenting_prepare_value(ObjectIndexer.prepare_value)


class ChineseSQLiteIndex(SegmentedIndexMixin, SQLiteIndex):
    indexer_class = SegmentingObjectIndexer


class FTS5Expression(SearchQueryCombinable, Expression):
    """A ready-made FTS5 expression (built and quoted by ``search.query``).

    Compiles to one parameter, which Wagtail's ``MatchExpression`` places after
    its column filter; it combines with other parts through Wagtail's own
    AND/OR/NOT handling.
    """

    def __init__(self, text):
        super().__init__(output_field=SearchQueryField())
        self.text = text

    def as_sql(self, compiler, connection):
        return "%s", ["(" + self.text + ")"]


class ChineseQueryMixin(EmptyQueryMixin):
    def build_search_query_content(self, query, config=None):
        parsed = parse_wagtail_query(query)
        if parsed is None:
            return super().build_search_query_content(query, config=config)
        if parsed.is_empty:
            return None
        return FTS5Expression(
            parsed.fts5(mode=query_mode(query), prefix_last=self.LAST_TERM_IS_PREFIX)
        )


class ChineseSQLiteQueryCompiler(ChineseQueryMixin, SQLiteSearchQueryCompiler):
    pass


class ChineseSQLiteAutocompleteQueryCompiler(ChineseQueryMixin, SQLiteAutocompleteQueryCompiler):
    pass


class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = ChineseSQLiteQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
    index_class = ChineseSQLiteIndex
