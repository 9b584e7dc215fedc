"""Pieces shared by the SQLite and PostgreSQL variants of the Chinese Wagtail backend."""

from wagtail.search.query import Phrase, PlainText

from .. import analysis
from ..query import parse_query
from ..synonyms import get_synonym_table


def segmenting_prepare_value(prepare_value):
    """Wrap an ``ObjectIndexer.prepare_value`` so strings come back segmented.

    Lists and dicts are joined by Wagtail from their items, each of which passes
    through here again, so only scalar values are segmented (once).
    """

    def prepare(self, value):
        if isinstance(value, (list, dict)):
            return prepare_value(self, value)
        return analysis.index_text(prepare_value(self, value))

    return prepare


def parse_wagtail_query(query):
    """A ``ParsedQuery`` for a Wagtail ``PlainText`` or ``Phrase``, else ``None``.

    A phrase is searched as all of its words: the index holds search-mode
    tokens, whose positions do not line up with a precise-mode phrase.
    """
    if isinstance(query, (PlainText, Phrase)):
        return parse_query(query.query_string, get_synonym_table())
    return None


def query_mode(query):
    return "or" if getattr(query, "operator", "and") == "or" else "and"


class SegmentedIndexMixin:
    """``add_items`` for an index whose entries hold segmented text.

    Wagtail's own ``add_items`` instantiates its module's ``ObjectIndexer``
    directly, so the only way to index through a segmenting indexer is to
    write the entries here: one UPDATE per object, or an INSERT when new.
    """

    indexer_class = None

    def entry_values(self, indexer):
        """The entry's columns on every database; a backend adds its own."""
        return {
            "title": indexer.title,
            "autocomplete": indexer.autocomplete,
            "body": indexer.body,
            "title_norm": 1.0,
        }

    def add_items(self, model, objs):
        from wagtail.search.utils import get_content_type_pk

        if not model.get_search_fields():
            return
        indexers = [self.indexer_class(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        entries = self.entries.filter(content_type_id=content_type_pk)
        for indexer in indexers:
            values = self.entry_values(indexer)
            if not entries.filter(object_id=indexer.id).update(**values):
                self.entries.create(content_type_id=content_type_pk, object_id=indexer.id, **values)
        self._refresh_title_norms()


class EmptyQueryMixin:
    """A query compiler's ``search`` that runs nothing for a query of only
    punctuation or function words: nothing can match it."""

    def search(self, config, start, stop, **kwargs):
        parsed = parse_wagtail_query(self.query)
        if parsed is not None and parsed.is_empty:
            return self.queryset.none()
        return super().search(config, start, stop, **kwargs)
