"""The Elasticsearch case index, for a county or city that outgrows one database.

- Mapping: an elasticsearch-dsl ``Document`` whose text fields use a Chinese
  analyser: the built-in ``cjk`` (bigrams; needs no plugin) by default, or
  ``smartcn`` / ``ik_max_word`` where the cluster has that plugin
  (setting ``ELASTICSEARCH_ANALYZER``). Text is normalised in Python first
  (traditional → simplified and so on), exactly as for the embedded index.
- Versioned indices ``<prefix>-cases-v<timestamp>`` behind the alias
  ``<prefix>-cases``: a rebuild fills a new index and swaps the alias in one
  atomic call, so searches never see a half-built index.
- Queries come from the same ``ParsedQuery`` as the embedded backend: every
  term is a ``bool.should`` of phrase matches of its alternatives (synonyms
  included), filters are ``term`` filters, facets are ``terms`` aggregations,
  and matches are highlighted by the cluster (HTML-encoded).

The cluster may be down: ``FallbackCaseBackend`` answers from the embedded
index then, logs a warning, and stops trying the cluster for a short while so
that every request does not wait for a connection timeout.
"""

import logging
import threading
import time
from functools import cache

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch_dsl import Boolean, Date, Document, Index, Integer, Keyword, Q, Search, Text

from portal.cases.search_index import ES_ROW_FIELDS
from portal.cases.search_index import es_source_for_row as source_for_row

from .base import FACETS, CaseHit, CaseSearchBackend, CaseSearchOutcome

logger = logging.getLogger(__name__)

# Index-time and search-time analyser for each supported setting value.
ANALYZERS = {
    "cjk": ("cjk", "cjk"),
    "smartcn": ("smartcn", "smartcn"),
    "ik_max_word": ("ik_max_word", "ik_smart"),
}

PUBLIC_FIELDS = ["title^3", "summary^2", "meta"]
STAFF_FIELDS = [*PUBLIC_FIELDS, "body"]
FACET_FIELDS = {
    "category": ("category_id", 200),
    "status": ("status", 20),
    "village": ("village_id", 1000),
    "source": ("source", 20),
    "year": ("year", 50),
}
BULK_CHUNK = 1000

# Errors meaning "the cluster cannot answer now" (down, timing out, index missing…).
UNAVAILABLE = (TransportError, ApiError)


def analyzer_pair(name=None):
    name = name or settings.ELASTICSEARCH_ANALYZER
    if name not in ANALYZERS:
        raise ValueError(
            f"ELASTICSEARCH_ANALYZER 只能是 {', '.join(sorted(ANALYZERS))} 之一，当前为 {name!r}"
        )
    return ANALYZERS[name]


@cache
def case_document_class(analyzer_name):
    """The ``Document`` class of a case for one analyser setting."""
    index_analyzer, search_analyzer = analyzer_pair(analyzer_name)

    def text():
        return Text(analyzer=index_analyzer, search_analyzer=search_analyzer)

    attrs = {
        "__doc__": "A case as indexed in Elasticsearch (see portal.cases.search_index for the columns).",
        "number": Keyword(),
        "title": text(),
        "summary": text(),
        "meta": text(),
        "body": text(),
        "category_id": Integer(),
        "status": Keyword(),
        "village_id": Integer(),
        "grid_id": Integer(),
        "source": Keyword(),
        "year": Integer(),
        "reported_at": Date(default_timezone=settings.TIME_ZONE),
        "is_public": Boolean(),
    }
    return type("CaseDocument", (Document,), attrs)


def alias_name():
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-cases"


def new_index_name(now=None):
    now = now or timezone.now()
    return f"{alias_name()}-v{now:%Y%m%d%H%M%S%f}"


def build_index(name, analyzer_name=None):
    """An ``Index`` with the case mapping and settings (not yet created on the cluster)."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
    index.document(case_document_class(analyzer_name or settings.ELASTICSEARCH_ANALYZER))
    return index


def _alternative_query(alternative, fields):
    if alternative.text:
        return Q("multi_match", query=alternative.text, type="phrase", fields=fields)
    return Q(
        "bool",
        must=[
            Q("multi_match", query="".join(unit), type="phrase", fields=fields)
            for unit in alternative.units
        ],
    )


def build_search(request, index=None):
    """The ``Search`` for a ``CaseSearchRequest`` (``.to_dict()`` is the request body)."""
    fields = PUBLIC_FIELDS if request.public_only else STAFF_FIELDS
    search = Search(index=index or alias_name())
    filters = []
    if request.public_only:
        filters.append(Q("term", is_public=True))
    if request.region_ids is not None:
        filters.append(Q("terms", village_id=sorted(request.region_ids)))
    for field, value in (
        ("category_id", request.filters.category_id),
        ("status", request.filters.status),
        ("grid_id", request.filters.grid_id),
        ("village_id", request.filters.village_id),
        ("source", request.filters.source),
        ("year", request.filters.year),
    ):
        if value is not None:
            filters.append(Q("term", **{field: value}))

    if request.query.is_empty:
        search = search.query(Q("bool", filter=filters)).sort({"reported_at": "desc"})
    else:
        term_queries = [
            Q(
                "bool",
                should=[_alternative_query(alt, fields) for alt in term.alternatives],
                minimum_should_match=1,
            )
            for term in request.query.terms
        ]
        if request.mode == "and":
            query = Q("bool", must=term_queries, filter=filters)
        else:
            query = Q("bool", should=term_queries, minimum_should_match=1, filter=filters)
        search = search.query(query).sort("_score", {"reported_at": "desc"})
        text_field = "summary" if request.public_only else "body"
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
        )
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight(text_field, fragment_size=120, number_of_fragments=1)

    if request.with_facets:
        for name, (field, size) in FACET_FIELDS.items():
            search.aggs.bucket(name, "terms", field=field, size=size)
    search = search.extra(track_total_hits=True)
    return search[request.offset : request.offset + request.limit]


def parse_response(raw, with_facets=True):
    """A ``CaseSearchOutcome`` from the JSON body of a search response."""
    hits = []
    for hit in raw.get("hits", {}).get("hits", []):
        highlight = {
            ("summary" if field == "body" else field): " … ".join(fragments)
            for field, fragments in (hit.get("highlight") or {}).items()
        }
        hits.append(
            CaseHit(
                case_id=int(hit["_id"]), score=float(hit.get("_score") or 0), highlight=highlight
            )
        )
    total = raw.get("hits", {}).get("total", 0)
    if isinstance(total, dict):
        total = total.get("value", 0)
    facets = {}
    if with_facets:
        aggregations = raw.get("aggregations", {})
        for name in FACETS:
            buckets = aggregations.get(name, {}).get("buckets", [])
            facets[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
    return CaseSearchOutcome(total=int(total), hits=hits, facets=facets, backend="elasticsearch")


def get_client(url=None):
    return Elasticsearch(
        url or settings.ELASTICSEARCH_URL,
        request_timeout=getattr(settings, "ELASTICSEARCH_TIMEOUT", 3),
        max_retries=0,
        retry_on_timeout=False,
    )


class ElasticsearchCaseBackend(CaseSearchBackend):
    name = "elasticsearch"

    def __init__(self, url=None, client=None):
        self.client = client or get_client(url)

    def search(self, request):
        response = build_search(request).using(self.client).execute()
        return parse_response(response.to_dict(), with_facets=request.with_facets)

    def _actions(self, rows, index, labels):
        for row in rows:
            yield {"_index": index, "_id": row[0], "_source": source_for_row(row, labels)}

    def index_cases(self, case_ids):
        from portal.cases import search_index

        ids = sorted({int(i) for i in case_ids})
        labels = search_index.source_labels()
        found = set()
        for start in range(0, len(ids), BULK_CHUNK):
            chunk = ids[start : start + BULK_CHUNK]
            rows = search_index.rows_for_ids(chunk, ES_ROW_FIELDS)
            found.update(row[0] for row in rows)
            helpers.bulk(self.client, self._actions(rows, alias_name(), labels))
        missing = [i for i in ids if i not in found]
        if missing:
            self.delete_cases(missing)

    def delete_cases(self, case_ids):
        actions = ({"_op_type": "delete", "_index": alias_name(), "_id": int(i)} for i in case_ids)
        helpers.bulk(self.client, actions, raise_on_error=False)

    def rebuild(self, progress=None, workers=1):
        """Fill a new versioned index, then point the alias at it and drop the old ones."""
        from portal.cases import search_index

        name = new_index_name()
        index = build_index(name)
        index.create(using=self.client)
        self.client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
        labels = search_index.source_labels()
        total = search_index.count_cases()
        done = 0
        if progress:
            progress(done, total)
        last_id = 0
        while True:
            rows = search_index.rows_after(last_id, BULK_CHUNK, ES_ROW_FIELDS)
            if not rows:
                break
            last_id = rows[-1][0]
            helpers.bulk(self.client, self._actions(rows, name, labels))
            done += len(rows)
            if progress:
                progress(done, total)
        self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
        self.client.indices.refresh(index=name)
        self.swap_alias(name)
        return done

    def swap_alias(self, name):
        alias = alias_name()
        try:
            old = list(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            old = []
        actions = [{"remove": {"index": o, "alias": alias}} for o in old if o != name]
        actions.append({"add": {"index": name, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        for o in old:
            if o != name:
                self.client.indices.delete(index=o, ignore_unavailable=True)


class FallbackCaseBackend(CaseSearchBackend):
    """Elasticsearch first; the embedded index when the cluster cannot answer."""

    name = "elasticsearch"
    RETRY_AFTER_SECONDS = 30
    _down_until = 0.0
    _lock = threading.Lock()

    def __init__(self, primary, fallback):
        self.primary = primary
        self.fallback = fallback

    @classmethod
    def is_down(cls):
        return time.monotonic() < cls._down_until

    @classmethod
    def mark_down(cls):
        with cls._lock:
            cls._down_until = time.monotonic() + cls.RETRY_AFTER_SECONDS

    @classmethod
    def reset(cls):
        with cls._lock:
            cls._down_until = 0.0

    def search(self, request):
        if not self.is_down():
            try:
                return self.primary.search(request)
            except UNAVAILABLE as error:
                logger.warning(
                    "Elasticsearch 不可用（%s），本次检索改用内置索引；%d 秒内不再尝试",
                    type(error).__name__,
                    self.RETRY_AFTER_SECONDS,
                )
                self.mark_down()
        outcome = self.fallback.search(request)
        outcome.fell_back = True
        return outcome

    def index_cases(self, case_ids):
        self.primary.index_cases(case_ids)

    def delete_cases(self, case_ids):
        self.primary.delete_cases(case_ids)

    def rebuild(self, progress=None, workers=1):
        return self.primary.rebuild(progress=progress, workers=workers)
