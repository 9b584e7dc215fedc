"""The Chinese Wagtail search backend on PostgreSQL (see the package docstring).

Text is stored with the ``simple`` configuration: the tokens are already
segmented, and an English or other stemmer would only damage them.
"""

from django.contrib.postgres.search import SearchQuery
from wagtail.search.backends.database.postgres.postgres import (
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
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


class ChinesePostgresIndex(SegmentedIndexMixin, PostgresIndex):
    indexer_class = SegmentingObjectIndexer

    def entry_values(self, indexer):
        return {
            **super().entry_values(indexer),
            "title_text": indexer.title_text,
            "body_text": indexer.body_text,
        }


class ChineseQueryMixin(EmptyQueryMixin):
    def build_tsquery_content(self, query, config=None, invert=False):
        parsed = parse_wagtail_query(query)
        if parsed is None:
            return super().build_tsquery_content(query, config=config, invert=invert)
        text = parsed.tsquery(mode=query_mode(query), prefix_last=self.LAST_TERM_IS_PREFIX)
        tsquery = SearchQuery(text, search_type="raw", config=config)
        return ~tsquery if invert else tsquery


class ChinesePostgresQueryCompiler(ChineseQueryMixin, PostgresSearchQueryCompiler):
    pass


class ChinesePostgresAutocompleteQueryCompiler(
    ChineseQueryMixin, PostgresAutocompleteQueryCompiler
):
    pass


class ChinesePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = ChinesePostgresQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler
    index_class = ChinesePostgresIndex

    def __init__(self, params):
        super().__init__({"SEARCH_CONFIG": "simple", **params})
