"""The bulk import pipeline shared by the three registers.

Why not django-import-export's own ``Resource.import_data``: it loads the
existing instance for every row with one query, validates with
``full_clean()`` and saves with one ``INSERT``/``UPDATE`` per row (plus
per-row savepoints), which for a 100,000-row roster means several hundred
thousand queries — measured in ``bench/bench_import.py`` at well over ten
times slower than this pipeline. What we keep from it: the ``ModelResource``
classes in ``imports.resources`` declare the exported columns and their
Chinese headers, and the benchmark runs the stock row-by-row import as the
baseline.

The pipeline, in order:

1. ``safety.check_file`` — size, real format, zip-bomb limits;
2. ``reading.open_sheet`` — the fast reader plus formula positions;
3. ``table.find_table`` — header row, column mapping, data rows;
4. ``clean`` — every cell of every row through ``imports.cleaning``, collecting
   *all* errors (row number + column header as written in the sheet);
5. ``resolve`` (per register) — duplicate keys inside the file, look-ups of
   grids/regions/existing rows by natural key in chunks, region scope, and the
   classification of each row as new / update / unchanged / error;
6. ``write`` (per register) — one ``transaction.atomic``: ``bulk_create`` and
   ``bulk_update`` in chunks. Nothing is written if any row is refused, unless
   ``skip_invalid`` is set, in which case the refused rows are left out and
   listed in an error report.
"""

import datetime
import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction

from portal.pagecache import invalidate as invalidate_page_cache

from ..cleaning import CellError
from ..reading import open_sheet, too_many_rows
from ..safety import FileRefused, Limits, check_file
from ..table import find_table

logger = logging.getLogger(__name__)

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOME_LABELS = {NEW: "新增", UPDATE: "更新", UNCHANGED: "未变化", ERROR: "错误"}

FORMULA_MESSAGE = (
    "单元格含有公式，为防止表格注入不予导入。请复制该列后“选择性粘贴 → 数值”，再重新导入"
)

# Rows per SQL batch: below SQLite's variable limit for the widest table we write.
CHUNK = 1000
# How often (in rows) the progress callback is called while checking.
PROGRESS_EVERY = 5000
# Distinct raw values remembered per column while cleaning (columns of unique
# values such as ID numbers stop growing their memo here).
MEMO_SIZE = 4096
_MISS = object()


class _Refusal:
    """A cleaner's refusal of one raw value, remembered like a cleaned value."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        where = []
        if self.row:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        return ("".join(where) + "：" if where else "") + self.message


class Row:
    """One data row on its way through the pipeline.

    ``errors`` refuse the row; ``warnings`` do not: the row is imported as the
    importer adjusted it (e.g. a case imported as not public), and the warning
    tells the user what was done instead of what the sheet asked for.
    """

    __slots__ = ("number", "data", "errors", "warnings", "outcome", "pk", "changes", "before")

    def __init__(self, number, data, errors):
        self.number = number
        self.data = data
        self.errors = errors
        self.warnings = []
        self.outcome = None
        self.pk = None
        self.changes = ()
        self.before = None

    def refuse(self, column, message):
        self.errors.append(RowError(self.number, column, message))

    def warn(self, column, message):
        self.warnings.append(RowError(self.number, column, message))

    def settle(self, changes, before):
        """A stored row compared: an update listing the ``changes`` (column labels), with
        ``before`` (what the write needs: the changed fields' new values and the like),
        or unchanged when nothing differs."""
        if changes:
            self.outcome = UPDATE
            self.changes = tuple(changes)
            self.before = before
        else:
            self.outcome = UNCHANGED


@dataclass
class ImportResult:
    kind: str
    file_name: str = ""
    skip_invalid: bool = False
    dry_run: bool = False
    header_row: int | None = None
    unknown_columns: list = field(default_factory=list)
    rows_total: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0))
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    samples: dict = field(default_factory=lambda: {k: [] for k in (NEW, UPDATE, UNCHANGED, ERROR)})
    new_regions: list = field(default_factory=list)
    new_teams: list = field(default_factory=list)
    message: str = ""
    refused: bool = False
    imported: bool = False
    # row number → reasons, for the error report (filled for every refused row)
    refused_rows: dict = field(default_factory=dict)
    # row number → warnings of rows that are imported anyway (also in the report)
    warning_rows: dict = field(default_factory=dict)
    # warning message → number of rows that got it (the result's summary)
    warning_counts: dict = field(default_factory=dict)
    # what the user chose for this run (e.g. categories to create or map); kept
    # in the job's report so that the confirmation runs with the same choices
    options: dict = field(default_factory=dict)
    # importer-specific lists shown in the preview (e.g. categories not yet in the catalog)
    extra: dict = field(default_factory=dict)

    def add_warning(self, warning):
        """Record a warning of a row that is imported anyway."""
        self.warnings.append(warning)
        if warning.row is not None:
            self.warning_rows.setdefault(warning.row, []).append(warning.message)
        self.warning_counts[warning.message] = self.warning_counts.get(warning.message, 0) + 1

    @property
    def skipped(self):
        return self.counts[ERROR] if (self.imported and self.skip_invalid) else 0

    @property
    def ok(self):
        return not self.refused

    def refuse_file(self, message):
        self.refused = True
        self.message = message
        self.errors.append(RowError(None, "", message))

    def as_dict(self, error_limit=None):
        errors = self.errors if error_limit is None else self.errors[:error_limit]
        warnings = self.warnings if error_limit is None else self.warnings[:error_limit]
        return {
            "kind": self.kind,
            "file": self.file_name,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "imported": self.imported,
            "refused": self.refused,
            "message": self.message,
            "header_row": self.header_row,
            "rows": self.rows_total,
            "counts": {
                "new": self.counts[NEW],
                "updated": self.counts[UPDATE],
                "unchanged": self.counts[UNCHANGED],
                "errors": self.counts[ERROR],
                "skipped": self.skipped,
            },
            # rows imported with a warning (e.g. a case imported as not public)
            "warning_count": len(self.warning_rows),
            "warning_summary": [
                {"message": message, "rows": count}
                for message, count in sorted(self.warning_counts.items())
            ],
            "options": self.options,
            **self.extra,
            "unknown_columns": self.unknown_columns,
            "new_regions": self.new_regions,
            "new_teams": self.new_teams,
            "warnings": [w.as_dict() for w in warnings],
            "errors": [e.as_dict() for e in errors],
            "error_total": len(self.errors),
            "samples": self.samples,
        }


class BaseImporter:
    """Subclasses set ``kind``, ``columns``, ``key_column`` and implement the hooks."""

    kind = ""
    columns = []
    key_column = ""
    sample_size = 5

    def __init__(
        self, user=None, *, skip_invalid=False, dry_run=False, progress=None, options=None
    ):
        self.user = user
        self.skip_invalid = skip_invalid
        self.dry_run = dry_run
        self._progress = progress
        if options is None:
            options = options_of_job(getattr(progress, "job", None))
        self.options = dict(options or {})
        self.limits = Limits.from_settings()
        self.table = None
        self.file_name = ""

    # --- hooks -----------------------------------------------------------------

    def check_row(self, row):
        """Rules across the cells of one row (e.g. gender against the ID number)."""

    def resolve(self, rows, result):
        """Look-ups, scope and classification; set ``row.outcome`` on every row."""
        raise NotImplementedError

    def write(self, new_rows, update_rows, result):
        """Write inside the caller's transaction."""
        raise NotImplementedError

    def describe(self, row):
        """A small dict shown in the preview for a sample row. No full ID numbers."""
        return {}

    # --- pipeline ----------------------------------------------------------------

    def progress(self, stage, done=0, total=0):
        if self._progress is not None:
            self._progress(stage, done, total)

    def header(self, key):
        return self.table.header_text(key) if self.table else self._column(key).header

    def _column(self, key):
        return next(col for col in self.columns if col.key == key)

    def run(self, path, file_name=None):
        # A 10⁵-row file allocates millions of small objects that all live to the
        # end of the run; the cyclic collector would rescan them again and again
        # (a third of the run). What the run creates holds no cycles worth waiting for.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._run(path, file_name)
        finally:
            if collecting:
                gc.enable()

    def _run(self, path, file_name=None):
        self.file_name = file_name or str(path).rsplit("/", 1)[-1]
        result = ImportResult(
            kind=self.kind,
            file_name=self.file_name,
            skip_invalid=self.skip_invalid,
            dry_run=self.dry_run,
            options=self.options,
        )
        try:
            self.progress("读取文件")
            fmt = check_file(path, self.file_name, self.limits)
            sheet = open_sheet(path, fmt, self.limits)
            self.table = find_table(sheet, self.columns, self.key_column)
            result.header_row = self.table.header.row_number
            result.unknown_columns = [
                {"column": letter, "header": text} for letter, text in self.table.header.unknown
            ]
            rows = self.clean(self.table, result, sheet.height)
            # The reader's copy of the sheet is no longer needed: free it before the look-ups.
            self.table.rows = sheet.rows = None
            del sheet
            if not rows:
                raise FileRefused(
                    f"表头（第 {result.header_row} 行）下面没有数据行，请填写数据后再导入"
                )
            self.progress("比对已有数据", 0, len(rows))
            self.check_duplicate_keys(rows)
            self.resolve(rows, result)
        except FileRefused as exc:
            result.refuse_file(str(exc))
            return result
        self._tally(rows, result)
        if result.counts[ERROR] and not self.skip_invalid:
            result.refused = True
            result.message = f"共 {result.counts[ERROR]} 行有错误，整个文件未导入，请修改后重新导入"
            return result
        if self.dry_run:
            return result
        new_rows = [row for row in rows if row.outcome == NEW]
        update_rows = [row for row in rows if row.outcome == UPDATE]
        del rows
        self.progress("写入数据库", 0, len(new_rows) + len(update_rows))
        try:
            with transaction.atomic():
                self.write(new_rows, update_rows, result)
        except IntegrityError:
            logger.exception("import of %s hit an integrity error", self.file_name)
            result.refused = True
            result.message = (
                "导入时数据库中的数据被同时修改（例如其他人正在录入同一批数据），本次导入已全部撤销，"
                "请稍后重新导入"
            )
            result.errors.append(RowError(None, "", result.message))
            return result
        result.imported = True
        if new_rows or update_rows:
            # Bulk writes send no model signals: tell the public page cache itself.
            invalidate_page_cache(f"import:{self.kind}")
        return result

    def clean(self, table, result, height):
        plan = [
            (col.key, col.clean, col.required, index, header, [{}, 0])
            for col, index, header in (
                (col, table.header.mapping[col.key], table.header_text(col.key))
                for col in self.columns
                if col.key in table.header.mapping and not col.ignored
            )
        ]
        max_rows = self.limits.max_rows
        check_formulas = bool(table.formula_cells) or table.text_formulas
        is_formula = table.is_formula
        check_row = self.check_row
        rows = []
        total = max(height - table.header.row_number, 0)
        for number, values in table.data_rows():
            if len(rows) >= max_rows:
                raise too_many_rows(self.limits)
            data, errors = {}, []
            width = len(values)
            for key, clean, required, index, header, cache in plan:
                raw = values[index] if index < width else None
                # Before the blank check: a formula without a cached value reads as blank.
                if check_formulas and is_formula(number, index, raw):
                    errors.append(RowError(number, header, FORMULA_MESSAGE))
                    continue
                if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
                    if required:
                        errors.append(RowError(number, header, f"“{header}”不能为空"))
                    continue
                # Rosters repeat a few values down a column (gender, grid, team, dates):
                # each distinct raw value is cleaned once. Cleaners are pure and return
                # immutable values, so the cleaned value (or the refusal) can be shared.
                memo = cache[0]  # [raw → cleaned, hits]; None once the column proves unique
                if memo is None:
                    hit = _MISS
                else:
                    memo_key = (raw.__class__, raw)
                    hit = memo.get(memo_key, _MISS)
                if hit is _MISS:
                    try:
                        hit = clean(raw)
                    except CellError as exc:
                        hit = _Refusal(str(exc))
                    if memo is not None:
                        if len(memo) < MEMO_SIZE:
                            memo[memo_key] = hit
                        elif cache[1] < MEMO_SIZE:
                            cache[0] = None  # mostly distinct values (ID numbers): stop looking
                else:
                    cache[1] += 1
                if hit.__class__ is _Refusal:
                    errors.append(RowError(number, header, hit.message))
                else:
                    data[key] = hit
            row = Row(number, data, errors)
            check_row(row)
            rows.append(row)
            if len(rows) % PROGRESS_EVERY == 0:
                self.progress("检查数据", len(rows), total)
        result.rows_total = len(rows)
        return rows

    def natural_key(self, row):
        return row.data.get(self.key_column)

    def check_duplicate_keys(self, rows):
        seen = {}
        for row in rows:
            key = self.natural_key(row)
            if key:
                seen.setdefault(key, []).append(row)
        header = self.header(self.key_column)
        for group in seen.values():
            if len(group) > 1:
                numbers = [row.number for row in group]
                for row in group:
                    others = "、".join(str(n) for n in numbers if n != row.number)
                    row.refuse(header, f"{header}与第 {others} 行重复，同一文件中不能出现两次")

    def _tally(self, rows, result):
        for row in rows:
            if row.errors:
                row.outcome = ERROR
                result.errors.extend(row.errors)
                result.refused_rows[row.number] = [str(e.message) for e in row.errors]
            else:
                for warning in row.warnings:
                    result.add_warning(warning)
            result.counts[row.outcome] += 1
            bucket = result.samples[row.outcome]
            if len(bucket) < self.sample_size:
                entry = {"row": row.number, **self.describe(row)}
                if row.outcome == UPDATE:
                    entry["changes"] = list(row.changes)
                if row.outcome == ERROR:
                    entry["errors"] = [str(e) for e in row.errors]
                elif row.warnings:
                    entry["warnings"] = [w.message for w in row.warnings]
                bucket.append(entry)
        result.errors.sort(key=lambda e: e.row or 0)


# Existence oracles: a row naming a person or a case that exists outside the
# user's regions is refused with a message that says nothing about where (or
# whether) it exists, and the attempt is logged. The same messages are given
# for other refusals (see the importers' ``check_row``), so the message alone
# tells the user nothing.
UNAVAILABLE_ID_NUMBER = "无法导入此行：身份证号不可用，请核对或联系上级管理员"
UNAVAILABLE_CASE_NUMBER = "无法导入此行：案件编号不可用，请核对或联系上级管理员"
OUT_OF_SCOPE_ACTION = "imports.out_of_scope_row"


def refuse_out_of_scope(importer, row, column, message, model, pk):
    """Refuse ``row`` without revealing that ``model`` ``pk`` exists elsewhere, and log it.

    The log goes to the server log and to Wagtail's audit log on the record
    itself, so that the administrators of its region see who tried.
    """
    row.refuse(column, message)
    user = importer.user
    logger.warning(
        "import of %s by %s: row %s names %s %s outside the user's regions",
        importer.file_name,
        getattr(user, "pk", None),
        row.number,
        model._meta.label,
        pk,
    )
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        return
    try:
        from wagtail.log_actions import log

        log(
            instance=instance,
            action=OUT_OF_SCOPE_ACTION,
            user=user,
            data={"file": importer.file_name, "row": row.number, "kind": importer.kind},
        )
    except Exception:  # the audit log must not turn a refusal into a failure
        logger.exception("could not write the audit log entry for an out-of-scope import row")


def options_of_job(job):
    """The options a user chose for an import job (stored in its report), or ``{}``.

    The admin's confirmation and the background task build the importer from
    the job alone (``imports.jobs``); the choices made on the preview travel
    with the job's report, which the importer reaches through the job's
    progress callback.
    """
    report = getattr(job, "report", None)
    if isinstance(report, dict) and isinstance(report.get("options"), dict):
        return report["options"]
    return {}


def chunked(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model, field_names, rows):
    """INSERT plain rows: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite.

    For rows that need no signals, no defaults and no primary key back (a
    through table, a tag link, a service record — and, with their ids read back
    by natural key, volunteers) Django's ``bulk_create`` spends about ten times
    longer building model instances and SQL than the database spends inserting.
    Rows go inside the caller's transaction. Values are handed to the driver as
    they are (text, ids, ``date``, ``Decimal``): psycopg adapts them, and Django
    registers SQLite's adapters for dates and decimals (``adapt_datefield_value``
    and ``adapt_decimalfield_value`` give the same text on SQLite and are the
    identity on PostgreSQL).
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        cursor.executemany(sql, rows)


def may_skip_reference_triggers():
    """True if this connection may turn off PostgreSQL's row-by-row foreign-key triggers
    for a transaction (``session_replication_role``: a superuser, or on PostgreSQL 15+
    a role granted ``SET ON PARAMETER session_replication_role``)."""
    if connection.vendor != "postgresql":
        return False
    if select_rows("SELECT current_setting('is_superuser')")[0][0] == "on":
        return True
    if connection.pg_version < 150000:
        return False
    return select_rows("SELECT has_parameter_privilege('session_replication_role', 'SET')")[0][0]


@contextmanager
def vouched_references(references):
    """Rows inserted inside the block queue no foreign-key trigger, where allowed.

    PostgreSQL checks every foreign key of every inserted row with one trigger
    call (an executor start-up, an index probe and a row lock each; at COMMIT,
    Django's constraints being deferred). A 10⁵-row roster writes about 9·10⁵
    references: half of the server's work. A bulk writer that inserts only rows
    referring to (a) rows it inserted itself in this transaction, which no one
    else can see, let alone delete, and (b) the rows named in ``references``
    (``{model: ids}``) can vouch for them instead: each row of (b) is locked
    ``FOR KEY SHARE`` here — the lock the triggers would take, held to the end
    of the transaction, so no one can delete it or change its key — and a row
    that no longer exists raises ``IntegrityError``, which undoes the import as
    a failed check at COMMIT would. The triggers are off with ``SET LOCAL
    session_replication_role = replica`` until the block ends (the schema has
    no triggers but the foreign-key ones: unique constraints are indexes and
    are still enforced). On SQLite, or for a role not allowed to (see
    ``may_skip_reference_triggers``), rows are checked by the database as usual.
    Yields whether the triggers are off.
    """
    if not may_skip_reference_triggers():
        yield False
        return
    with connection.cursor() as cursor:
        for model, ids in references.items():
            ids = sorted({pk for pk in ids if pk is not None})
            if not ids:
                continue
            where, params = in_clause(connection.ops.quote_name(model._meta.pk.column), ids)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table_of(model)}"
                f" WHERE {where} FOR KEY SHARE) AS locked",
                params,
            )
            if cursor.fetchone()[0] != len(ids):
                raise IntegrityError(f"a referenced {model._meta.label} row no longer exists")
        cursor.execute("SELECT current_setting('session_replication_role')")
        (previous,) = cursor.fetchone()
        cursor.execute("SET LOCAL session_replication_role = replica")
    # On an error the transaction (or savepoint) is rolled back, and the setting with it.
    yield True
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])


def in_clause(column, values):
    """``column IN (…)`` for a chunk of values: one array parameter on PostgreSQL."""
    values = list(values)
    if connection.vendor == "postgresql":
        # Django's psycopg cursors bind parameters on the client: a list is quoted
        # value by value in Python (a quarter of a 10⁵-row re-import's look-ups).
        # Ids and comma-free text (keyed hashes) go as one text the server splits.
        if all(value.__class__ is int for value in values):
            joined = ",".join(map(str, values))
            return f"{column} = ANY(string_to_array(%s, ',')::bigint[])", [joined]
        if all(value.__class__ is str and value and "," not in value for value in values):
            return f"{column} = ANY(string_to_array(%s, ','))", [",".join(values)]
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def select_rows(sql, params=()):
    """Plain tuples straight from the driver: the look-ups of a 10⁵-row file skip the ORM.

    Dates come back as ``date`` on PostgreSQL and as ISO text on SQLite; callers
    that compare them go through ``as_date``.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_date(value):
    if value.__class__ is str:
        return datetime.date.fromisoformat(value)
    return value


def new_ids(model, count):
    """On PostgreSQL, ``count`` primary keys drawn from the table's own sequence, for
    rows written with their id by ``insert_rows`` (no read-back by natural key,
    about a tenth of a 10⁵-row COPY import); None elsewhere (SQLite reads them back).
    Identity columns (Django's ``AutoField``) accept a given value; ``nextval`` never
    hands the same id twice, whatever runs beside the import."""
    if connection.vendor != "postgresql" or not count:
        return None
    table = model._meta.db_table
    column = model._meta.pk.column
    return [
        pk
        for (pk,) in select_rows(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
    ]


def table_of(model):
    return connection.ops.quote_name(model._meta.db_table)
