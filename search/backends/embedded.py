"""The embedded case index: the database's own full-text engine, no extra server.

SQLite: an FTS5 virtual table ``portal_search_case_fts`` (rowid = case id, one
column per text part, ranked with ``bm25()``) and a narrow table
``portal_search_casefilter`` of the filter values.
PostgreSQL: a side table ``portal_search_caseindex`` with the filter values and
the tsvector of the public parts, and ``portal_search_casedocument`` with the
tsvector of everything (weighted A–D), both under GIN indexes, ranked with
``ts_rank_cd``.

The texts are the segmented tokens of ``portal.cases.search_index``'s documents. SQLite's
tokeniser then only splits on the spaces we put in; on PostgreSQL tsvector and
tsquery are written as literals, so its parser never re-splits our tokens and
both sides compare exactly the same lexemes. Writes happen in the caller's
transaction (``search.indexing``), so the index commits or rolls back with the
case rows.

One search is one SQL statement: a CTE of the matching, visible cases (id,
score and the filter columns, read from the narrow index tables rather than the
wide case table) feeds both the page of hits and a GROUP BY per facet, so the
full-text match runs once however many facets are counted.
"""

import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.conf import settings
from django.db import connection, transaction

from .. import documents
from .base import FACETS, CaseHit, CaseSearchBackend, CaseSearchOutcome

FTS_TABLE = "portal_search_case_fts"
FILTER_TABLE = "portal_search_casefilter"
PG_TABLE = "portal_search_caseindex"
PG_DOCUMENT_TABLE = "portal_search_casedocument"

WRITE_CHUNK = 1000
REBUILD_CHUNK = 2000
# From this many ids on, ``index_cases`` segments in worker processes (imports).
PARALLEL_THRESHOLD = 20_000

# bm25() column weights in documents.COLUMNS order: title, summary, meta, body.
BM25_WEIGHTS = (6.0, 3.0, 1.5, 1.0)
# tsvector weights for the same columns.
PG_WEIGHTS = ("A", "B", "C", "D")
# ts_rank_cd weights are given for D, C, B, A; normalisation 1 divides by
# 1 + log(document length), as BM25 discounts long documents.
PG_RANK = "ts_rank_cd('{0.25, 0.4, 0.7, 1.0}', %s, r.query, 1)"

# The filter columns every search selects into its CTE (and groups facets by).
HIT_COLUMNS = "c.reported_at AS reported_at, " + ", ".join(
    f"c.{column} AS {column}"
    for column in ("category_id", "status", "village_id", "source", "year")
)
FACET_COLUMNS = {
    "category": "category_id",
    "status": "status",
    "village": "village_id",
    "source": "source",
    "year": "year",
}


def source_labels():
    from portal.cases.search_index import source_labels

    return source_labels()


def index_workers():
    """Segmentation processes for big jobs (setting ``SEARCH_INDEX_WORKERS``)."""
    default = min(4, os.cpu_count() or 1)
    return max(1, int(getattr(settings, "SEARCH_INDEX_WORKERS", default)))


def segmented(batches, workers):
    """Documents for each batch of case rows, in order.

    Segmentation is the slow part. With ``workers > 1`` it runs in worker
    processes started with ``spawn`` (so they inherit no database connection)
    while this process reads the next batches and writes the finished ones;
    the batches are read here, in the caller's thread and transaction.
    """
    from portal.cases.search_index import documents_for_rows

    labels, time_zone = source_labels(), settings.TIME_ZONE
    if workers <= 1:
        for rows in batches:
            yield documents_for_rows((rows, labels, time_zone))
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending = deque()
        for rows in batches:
            pending.append(pool.submit(documents_for_rows, (rows, labels, time_zone)))
            if len(pending) >= workers * 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(count):
    return ", ".join(["%s"] * count)


class SQLiteDialect:
    """An FTS5 table of the texts plus a narrow rowid table of the filter values."""

    vendor = "sqlite"

    def create_sql(self):
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            + ", ".join(documents.COLUMNS)
            + ", tokenize = 'unicode61 remove_diacritics 0')",
            f"CREATE TABLE IF NOT EXISTS {FILTER_TABLE} ("
            "case_id INTEGER PRIMARY KEY, is_public INTEGER NOT NULL, category_id INTEGER, "
            "status TEXT, village_id INTEGER, grid_id INTEGER, source TEXT, year INTEGER, "
            "reported_at TEXT)",
            f"CREATE INDEX IF NOT EXISTS {FILTER_TABLE}_reported "
            f"ON {FILTER_TABLE} (is_public, reported_at)",
        ]

    def drop_sql(self):
        return [f"DROP TABLE IF EXISTS {FTS_TABLE}", f"DROP TABLE IF EXISTS {FILTER_TABLE}"]

    def delete(self, cursor, ids):
        for chunk in _chunks(list(ids), WRITE_CHUNK):
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({_marks(len(chunk))})", chunk)
            cursor.execute(
                f"DELETE FROM {FILTER_TABLE} WHERE case_id IN ({_marks(len(chunk))})", chunk
            )

    def write(self, cursor, docs, replace=True):
        if replace:
            self.delete(cursor, [doc[0] for doc in docs])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(documents.COLUMNS)}) "
            "VALUES (%s, %s, %s, %s, %s)",
            [doc[:5] for doc in docs],
        )
        adapt = connection.ops.adapt_datetimefield_value
        cursor.executemany(
            f"INSERT INTO {FILTER_TABLE} (case_id, {', '.join(documents.FILTER_COLUMNS)}) "
            f"VALUES ({_marks(1 + len(documents.FILTER_COLUMNS))})",
            [(doc[0], *doc[5:-1], adapt(doc[-1])) for doc in docs],
        )

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"DELETE FROM {FILTER_TABLE}")

    def finish_rebuild(self, cursor):
        # Merge the b-trees written chunk by chunk into one: faster queries.
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
        cursor.execute(f"ANALYZE {FILTER_TABLE}")

    def match(self, query, public_only, mode):
        """``SELECT id, score`` of the cases matching ``query`` (score: higher is better)."""
        columns = documents.PUBLIC_COLUMNS if public_only else None
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # bm25() is lower-is-better; negate it so every backend ranks by score DESC.
        sql = (
            f"SELECT rowid AS id, -bm25({FTS_TABLE}, {weights}) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        )
        return sql, [query.fts5(columns=columns, mode=mode)]

    def hits_sql(self, request, where, params):
        """The CTE body: id, score and filter columns of every matching, visible case."""
        if request.query.is_empty:
            sql = f"SELECT c.case_id AS id, 0.0 AS score, {HIT_COLUMNS} FROM {FILTER_TABLE} c"
            return f"{sql} WHERE {where}", params
        match_sql, match_params = self.match(request.query, request.public_only, request.mode)
        # CROSS JOIN fixes the join order in SQLite: the full-text matches drive and
        # each is looked up by primary key. With a plain JOIN the planner prefers to
        # walk every public case and probe the FTS table per row, far slower.
        sql = (
            f"SELECT m.id AS id, m.score AS score, {HIT_COLUMNS} FROM ({match_sql}) m "
            f"CROSS JOIN {FILTER_TABLE} c ON c.case_id = m.id WHERE {where}"
        )
        return sql, match_params + params


class PostgresDialect:
    """A narrow table of the filter values and the public tsvector (title,
    summary, meta), and a second table with the full tsvector for staff.

    Public searches — the common case — read only the narrow rows, which stay
    small enough to be stored uncompressed in the table itself; the full
    vector (the raw report too) would make every row wide and compressed, and
    matching and ranking thousands of them markedly slower.
    """

    vendor = "postgresql"
    PUBLIC_COLUMNS = ("case_id", *documents.FILTER_COLUMNS, "public_document")

    def create_sql(self):
        return [
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
            "case_id bigint PRIMARY KEY, is_public boolean NOT NULL, category_id bigint, "
            "status varchar(12), village_id bigint, grid_id bigint, source varchar(20), "
            "year integer, reported_at timestamptz, public_document tsvector NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {PG_DOCUMENT_TABLE} ("
            "case_id bigint PRIMARY KEY, document tsvector NOT NULL)",
            *self.index_sql(),
        ]

    def index_sql(self):
        return [
            # Partial: public searches only ever want public cases, and the
            # bitmap then never visits the rows of the others.
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_public_gin "
            f"ON {PG_TABLE} USING GIN (public_document) WHERE is_public",
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_reported ON {PG_TABLE} (is_public, reported_at)",
            f"CREATE INDEX IF NOT EXISTS {PG_DOCUMENT_TABLE}_gin "
            f"ON {PG_DOCUMENT_TABLE} USING GIN (document)",
        ]

    def drop_sql(self):
        return [f"DROP TABLE IF EXISTS {PG_TABLE}", f"DROP TABLE IF EXISTS {PG_DOCUMENT_TABLE}"]

    def delete(self, cursor, ids):
        ids = list(ids)
        if ids:
            for table in (PG_TABLE, PG_DOCUMENT_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE case_id = ANY(%s)", [ids])

    def _rows(self, docs):
        public, full = [], []
        for doc in docs:
            texts = doc[1:5]
            public.append((doc[0], *doc[5:], documents.tsvector_literal(texts[:3], PG_WEIGHTS[:3])))
            full.append((doc[0], documents.tsvector_literal(texts, PG_WEIGHTS)))
        return public, full

    def write(self, cursor, docs, replace=True):
        public, full = self._rows(docs)
        names = ", ".join(self.PUBLIC_COLUMNS)
        if not replace:
            # A rebuild into empty tables: COPY is the fastest way in.
            with cursor.cursor.copy(f"COPY {PG_TABLE} ({names}) FROM STDIN") as copy:
                for row in public:
                    copy.write_row(row)
            with cursor.cursor.copy(
                f"COPY {PG_DOCUMENT_TABLE} (case_id, document) FROM STDIN"
            ) as copy:
                for row in full:
                    copy.write_row(row)
            return
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in self.PUBLIC_COLUMNS[1:])
        values = _marks(len(self.PUBLIC_COLUMNS) - 1) + ", CAST(%s AS tsvector)"
        cursor.executemany(
            f"INSERT INTO {PG_TABLE} ({names}) VALUES ({values}) "
            f"ON CONFLICT (case_id) DO UPDATE SET {updates}",
            public,
        )
        cursor.executemany(
            f"INSERT INTO {PG_DOCUMENT_TABLE} (case_id, document) "
            "VALUES (%s, CAST(%s AS tsvector)) "
            "ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document",
            full,
        )

    def clear(self, cursor):
        cursor.execute(f"TRUNCATE {PG_TABLE}, {PG_DOCUMENT_TABLE}")
        # Building the GIN indexes once at the end is much faster than row by row.
        cursor.execute(f"DROP INDEX IF EXISTS {PG_TABLE}_public_gin")
        cursor.execute(f"DROP INDEX IF EXISTS {PG_DOCUMENT_TABLE}_gin")

    def finish_rebuild(self, cursor):
        for statement in self.index_sql():
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {PG_TABLE}")
        cursor.execute(f"ANALYZE {PG_DOCUMENT_TABLE}")

    def _from(self, public_only):
        """FROM/WHERE for matching (``q``: the query, ``r``: what to rank by) and the rank."""
        queries = "CAST(%s AS tsquery) AS q(query), CAST(%s AS tsquery) AS r(query)"
        if public_only:
            return (
                f"FROM {PG_TABLE} c, {queries} WHERE c.public_document @@ q.query",
                PG_RANK % "c.public_document",
            )
        return (
            f"FROM {PG_DOCUMENT_TABLE} d JOIN {PG_TABLE} c ON c.case_id = d.case_id, {queries} "
            "WHERE d.document @@ q.query",
            PG_RANK % "d.document",
        )

    def _query_params(self, query, mode):
        return [query.tsquery(mode=mode), query.rank_tsquery()]

    def match(self, query, public_only, mode):
        """``SELECT id, score`` of the cases matching ``query`` (score: higher is better)."""
        from_where, rank = self._from(public_only)
        sql = f"SELECT c.case_id AS id, {rank} AS score {from_where}"
        return sql, self._query_params(query, mode)

    def hits_sql(self, request, where, params):
        """The CTE body: id, score and filter columns of every matching, visible case."""
        if request.query.is_empty:
            sql = f"SELECT c.case_id AS id, 0.0 AS score, {HIT_COLUMNS} FROM {PG_TABLE} c"
            return f"{sql} WHERE {where}", params
        from_where, rank = self._from(request.public_only)
        sql = f"SELECT c.case_id AS id, {rank} AS score, {HIT_COLUMNS} {from_where} AND {where}"
        return sql, [*self._query_params(request.query, request.mode), *params]


def get_dialect():
    if connection.vendor == "sqlite":
        return SQLiteDialect()
    if connection.vendor == "postgresql":
        return PostgresDialect()
    raise NotImplementedError(
        f"内置检索不支持 {connection.vendor} 数据库，请使用 SQLite 或 PostgreSQL。"
    )


class EmbeddedCaseBackend(CaseSearchBackend):
    name = "embedded"

    # --- writing -------------------------------------------------------------
    def index_cases(self, case_ids, workers=None):
        """(Re)index these cases in the caller's transaction; ids no longer in the
        case table are removed. Large lists (imports) are read a chunk at a time and,
        above ``PARALLEL_THRESHOLD`` ids, segmented in worker processes."""
        from portal.cases import search_index

        ids = sorted({int(i) for i in case_ids})
        if not ids:
            return
        if workers is None:
            workers = index_workers() if len(ids) >= PARALLEL_THRESHOLD else 1
        dialect = get_dialect()

        def batches():
            for chunk in _chunks(ids, WRITE_CHUNK):
                yield search_index.rows_for_ids(chunk)

        found = set()
        with connection.cursor() as cursor:
            for docs in segmented(batches(), workers):
                found.update(doc[0] for doc in docs)
                if docs:
                    dialect.write(cursor, docs)
            missing = [i for i in ids if i not in found]
            if missing:
                dialect.delete(cursor, missing)

    def delete_cases(self, case_ids):
        ids = sorted({int(i) for i in case_ids})
        if ids:
            with connection.cursor() as cursor:
                get_dialect().delete(cursor, ids)

    def rebuild(self, progress=None, workers=1):
        """Empty the index and write every case, in one transaction.

        Readers keep seeing the old index until the commit (WAL on SQLite, MVCC
        on PostgreSQL).
        """
        from portal.cases import search_index

        dialect = get_dialect()
        total = search_index.count_cases()
        done = 0
        if progress:
            progress(done, total)

        def batches():
            last_id = 0
            while True:
                rows = search_index.rows_after(last_id, REBUILD_CHUNK)
                if not rows:
                    return
                last_id = rows[-1][0]
                yield rows

        with transaction.atomic(), connection.cursor() as cursor:
            dialect.clear(cursor)
            for docs in segmented(batches(), workers):
                dialect.write(cursor, docs, replace=False)
                done += len(docs)
                if progress:
                    progress(done, total)
            dialect.finish_rebuild(cursor)
        return done

    # --- searching -----------------------------------------------------------
    def search(self, request):
        if request.region_ids is not None and not request.region_ids:
            return CaseSearchOutcome(total=0, hits=[], facets={}, backend=self.name)
        where, params = self._filters(request)
        source_sql, source_params = get_dialect().hits_sql(request, where, params)
        order = "reported_at DESC, id DESC" if request.query.is_empty else "score DESC, id DESC"
        parts = [
            "SELECT 'hit' AS kind, CAST(id AS TEXT) AS value, score AS n, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS pos FROM "
            f"(SELECT id, score, reported_at FROM hits ORDER BY {order} LIMIT %s OFFSET %s) page",
            "SELECT 'total', NULL, COUNT(*), NULL FROM hits",
        ]
        if request.with_facets:
            parts += [
                f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*), NULL "
                f"FROM hits GROUP BY {column}"
                for name, column in FACET_COLUMNS.items()
            ]
        sql = f"WITH hits AS MATERIALIZED ({source_sql}) " + " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*source_params, request.limit, request.offset])
            rows = cursor.fetchall()
        return self._outcome(rows, request.with_facets)

    def _filters(self, request):
        clauses = ["1 = 1"]
        params = []
        if request.public_only:
            # A bare boolean column: PostgreSQL then sees that the partial public
            # index applies; SQLite reads its 0/1 the same way.
            clauses.append("c.is_public")
        if request.region_ids is not None:
            ids = sorted(request.region_ids)
            clauses.append(f"c.village_id IN ({_marks(len(ids))})")
            params.extend(ids)
        filters = request.filters
        for column, value in (
            ("category_id", filters.category_id),
            ("status", filters.status),
            ("grid_id", filters.grid_id),
            ("village_id", filters.village_id),
            ("source", filters.source),
            ("year", filters.year),
        ):
            if value is not None:
                clauses.append(f"c.{column} = %s")
                params.append(value)
        return " AND ".join(clauses), params

    def _outcome(self, rows, with_facets):
        hits = []
        total = 0
        facets = {name: [] for name in FACETS} if with_facets else {}
        for kind, value, number, position in rows:
            if kind == "hit":
                hits.append((position, CaseHit(case_id=int(value), score=float(number or 0))))
            elif kind == "total":
                total = int(number)
            elif value is not None:
                facets[kind].append((value, int(number)))
        for values in facets.values():
            values.sort(key=lambda pair: (-pair[1], pair[0]))
        hits.sort(key=lambda pair: pair[0])
        return CaseSearchOutcome(
            total=total, hits=[hit for _, hit in hits], facets=facets, backend=self.name
        )
