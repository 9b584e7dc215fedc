"""The embedded case index: the database's own full-text engine, no extra server.

SQLite: an FTS5 virtual table ``portal_search_case_fts`` (rowid = case id) with
one column per document part, ranked with ``bm25()``.
PostgreSQL: a side table ``portal_search_caseindex`` (case_id, document
tsvector with a GIN index), the parts weighted A–D, ranked with
``ts_rank_cd``.

Both hold the segmented tokens from ``search.documents``. SQLite's tokeniser
then only has to split on the spaces we put in; on PostgreSQL the tsvector and
tsquery are written as literals, so its parser never re-splits our tokens and
both sides compare exactly the same lexemes. Writes happen in the
caller's transaction (``search.indexing``), so the index commits or rolls back
with the case rows.

One search is one SQL statement: a CTE of the matching, filtered cases (id,
score and the facet columns) feeds both the page of hits and a GROUP BY per
facet, so the full-text match runs once however many facets are counted.
"""

import datetime
import zoneinfo
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .. import documents
from .base import FACETS, CaseHit, CaseSearchBackend, CaseSearchOutcome

FTS_TABLE = "portal_search_case_fts"
PG_TABLE = "portal_search_caseindex"
PG_INDEX = "portal_search_caseindex_document_gin"

WRITE_CHUNK = 1000
REBUILD_CHUNK = 2000

# bm25() column weights in documents.COLUMNS order: title, summary, meta, body.
BM25_WEIGHTS = (6.0, 3.0, 1.5, 1.0)
# tsvector weights for the same columns; public searches only match A, B and C.
PG_WEIGHTS = ("A", "B", "C", "D")


def source_labels():
    from portal.cases.models import Case

    return dict(Case.Source.choices)


def case_table():
    from portal.cases.models import Case

    return connection.ops.quote_name(Case._meta.db_table)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SQLiteDialect:
    vendor = "sqlite"
    # CROSS JOIN fixes the join order in SQLite: the full-text matches drive and
    # each is looked up in the case table by primary key. With a plain JOIN the
    # planner prefers to walk every public case and probe the FTS table per row,
    # a hundred times slower.
    join = "CROSS JOIN"

    def create_sql(self):
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            + ", ".join(documents.COLUMNS)
            + ", tokenize = 'unicode61 remove_diacritics 0')"
        ]

    def drop_sql(self):
        return [f"DROP TABLE IF EXISTS {FTS_TABLE}"]

    def delete(self, cursor, ids):
        for chunk in _chunks(list(ids), WRITE_CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)

    def write(self, cursor, docs, replace=True):
        if replace:
            self.delete(cursor, [doc[0] for doc in docs])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(documents.COLUMNS)}) "
            "VALUES (%s, %s, %s, %s, %s)",
            docs,
        )

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def finish_rebuild(self, cursor):
        # Merge the b-trees written chunk by chunk into one: faster queries.
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    def match(self, query, public_only, mode):
        columns = documents.PUBLIC_COLUMNS if public_only else None
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # bm25() is lower-is-better; negate it so every backend ranks by score DESC.
        sql = (
            f"SELECT rowid AS id, -bm25({FTS_TABLE}, {weights}) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        )
        return sql, [query.fts5(columns=columns, mode=mode)]

    def year_expression(self, column):
        # Datetimes are stored as UTC text. China has had no daylight saving
        # since 1991, so a fixed offset gives the local year exactly (and is far
        # cheaper than Django's per-row timezone function).
        offset = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).utcoffset()
        minutes = int(offset.total_seconds() // 60)
        return f"strftime('%%Y', {column}, '{minutes:+d} minutes')", []


class PostgresDialect:
    vendor = "postgresql"
    join = "JOIN"

    def create_sql(self):
        return [
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
            "case_id bigint PRIMARY KEY, document tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING GIN (document)",
        ]

    def drop_sql(self):
        return [f"DROP TABLE IF EXISTS {PG_TABLE}"]

    def delete(self, cursor, ids):
        ids = list(ids)
        if ids:
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE case_id = ANY(%s)", [ids])

    def write(self, cursor, docs, replace=True):
        rows = [(doc[0], documents.tsvector_literal(doc[1:], PG_WEIGHTS)) for doc in docs]
        if not replace:
            # A rebuild into an empty table: COPY is the fastest way in.
            with cursor.cursor.copy(f"COPY {PG_TABLE} (case_id, document) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {PG_TABLE} (case_id, document) VALUES (%s, CAST(%s AS tsvector)) "
            "ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document",
            rows,
        )

    def clear(self, cursor):
        cursor.execute(f"TRUNCATE {PG_TABLE}")
        # Building the GIN index once at the end is much faster than updating it row by row.
        cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")

    def finish_rebuild(self, cursor):
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING GIN (document)")
        cursor.execute(f"ANALYZE {PG_TABLE}")

    def match(self, query, public_only, mode):
        weights = "".join(PG_WEIGHTS[:3]) if public_only else ""
        # ts_rank_cd weights are given for D, C, B, A; normalisation 1 divides by
        # 1 + log(document length), as BM25 discounts long documents.
        sql = (
            "SELECT i.case_id AS id, "
            "ts_rank_cd('{0.25, 0.4, 0.7, 1.0}', i.document, q.query, 1) AS score "
            f"FROM {PG_TABLE} i, CAST(%s AS tsquery) AS q(query) "
            "WHERE i.document @@ q.query"
        )
        return sql, [query.tsquery(weights=weights, mode=mode)]

    def year_expression(self, column):
        return (
            f"CAST(EXTRACT(YEAR FROM {column} AT TIME ZONE %s) AS INTEGER)",
            [settings.TIME_ZONE],
        )


def get_dialect():
    if connection.vendor == "sqlite":
        return SQLiteDialect()
    if connection.vendor == "postgresql":
        return PostgresDialect()
    raise NotImplementedError(
        f"内置检索不支持 {connection.vendor} 数据库，请使用 SQLite 或 PostgreSQL。"
    )


def year_bounds(year):
    """[1 January, next 1 January) of ``year`` in local time, as database values."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    adapt = connection.ops.adapt_datetimefield_value
    return adapt(start), adapt(end)


class EmbeddedCaseBackend(CaseSearchBackend):
    name = "embedded"

    # --- writing -------------------------------------------------------------
    def index_cases(self, case_ids):
        from portal.cases.models import Case

        ids = sorted({int(i) for i in case_ids})
        if not ids:
            return
        dialect = get_dialect()
        labels = source_labels()
        with connection.cursor() as cursor:
            for chunk in _chunks(ids, WRITE_CHUNK):
                rows = list(
                    Case.objects.filter(id__in=chunk)
                    .order_by()
                    .values_list(*documents.CASE_ROW_FIELDS)
                )
                docs = [documents.document_for_row(row, labels) for row in rows]
                found = {doc[0] for doc in docs}
                missing = [i for i in chunk if i not in found]
                if missing:
                    dialect.delete(cursor, missing)
                if docs:
                    dialect.write(cursor, docs)

    def delete_cases(self, case_ids):
        ids = sorted({int(i) for i in case_ids})
        if ids:
            with connection.cursor() as cursor:
                get_dialect().delete(cursor, ids)

    def rebuild(self, progress=None, workers=1):
        """Empty the index and write every case, in one transaction.

        Readers keep seeing the old index until the commit (WAL on SQLite, MVCC
        on PostgreSQL). Segmentation, the slow part, can run in worker
        processes (``spawn``: no inherited database connections) while this
        process reads the next chunk and writes the previous one.
        """
        from portal.cases.models import Case

        dialect = get_dialect()
        labels = source_labels()
        total = Case.objects.count()
        done = 0
        if progress:
            progress(done, total)

        def batches():
            last_id = 0
            while True:
                rows = list(
                    Case.objects.filter(id__gt=last_id)
                    .order_by("id")
                    .values_list(*documents.CASE_ROW_FIELDS)[:REBUILD_CHUNK]
                )
                if not rows:
                    return
                last_id = rows[-1][0]
                yield rows

        with transaction.atomic(), connection.cursor() as cursor:
            dialect.clear(cursor)

            def write(docs):
                nonlocal done
                dialect.write(cursor, docs, replace=False)
                done += len(docs)
                if progress:
                    progress(done, total)

            if workers <= 1:
                for rows in batches():
                    write(documents.documents_for_rows((rows, labels)))
            else:
                with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                    pending = []
                    for rows in batches():
                        pending.append(pool.submit(documents.documents_for_rows, (rows, labels)))
                        if len(pending) >= workers * 2:
                            write(pending.pop(0).result())
                    for future in pending:
                        write(future.result())
            dialect.finish_rebuild(cursor)
        return done

    # --- searching -----------------------------------------------------------
    def search(self, request):
        if request.region_ids is not None and not request.region_ids:
            return CaseSearchOutcome(total=0, hits=[], facets={}, backend=self.name)
        dialect = get_dialect()
        table = case_table()
        where, params = self._filters(request)
        facet_columns = {
            "category": "category_id",
            "status": "status",
            "village": "village_id",
            "source": "source",
        }
        columns = "c.id AS id, {score} AS score, c.reported_at AS reported_at, " + ", ".join(
            f"c.{column} AS {column}" for column in facet_columns.values()
        )
        if request.query.is_empty:
            source_sql = f"SELECT {columns.format(score='0.0')} FROM {table} c WHERE {where}"
            source_params = params
            order = "reported_at DESC, id DESC"
        else:
            match_sql, match_params = dialect.match(
                request.query, request.public_only, request.mode
            )
            source_sql = (
                f"SELECT {columns.format(score='m.score')} FROM ({match_sql}) m "
                f"{dialect.join} {table} c ON c.id = m.id WHERE {where}"
            )
            source_params = match_params + params
            order = "score DESC, id DESC"

        parts = [
            "SELECT 'hit' AS kind, CAST(id AS TEXT) AS value, score AS n, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS pos FROM "
            f"(SELECT id, score, reported_at FROM hits ORDER BY {order} LIMIT %s OFFSET %s) page",
            "SELECT 'total', NULL, COUNT(*), NULL FROM hits",
        ]
        tail_params = [request.limit, request.offset]
        if request.with_facets:
            for name, column in facet_columns.items():
                parts.append(
                    f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*), NULL "
                    f"FROM hits GROUP BY {column}"
                )
            year_sql, year_params = dialect.year_expression("reported_at")
            parts.append(
                f"SELECT 'year', CAST({year_sql} AS TEXT), COUNT(*), NULL FROM hits GROUP BY 2"
            )
            tail_params += year_params
        sql = f"WITH hits AS MATERIALIZED ({source_sql}) " + " UNION ALL ".join(parts)

        with connection.cursor() as cursor:
            cursor.execute(sql, source_params + tail_params)
            rows = cursor.fetchall()
        return self._outcome(rows, request.with_facets)

    def _filters(self, request):
        clauses = ["1 = 1"]
        params = []
        if request.public_only:
            clauses.append("c.is_public = %s")
            params.append(True)
        if request.region_ids is not None:
            ids = sorted(request.region_ids)
            clauses.append(f"c.village_id IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
        filters = request.filters
        for column, value in (
            ("category_id", filters.category_id),
            ("status", filters.status),
            ("grid_id", filters.grid_id),
            ("village_id", filters.village_id),
            ("source", filters.source),
        ):
            if value is not None:
                clauses.append(f"c.{column} = %s")
                params.append(value)
        if filters.year is not None:
            start, end = year_bounds(filters.year)
            clauses.append("c.reported_at >= %s AND c.reported_at < %s")
            params.extend([start, end])
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
