"""The case register's side of the case index: which columns of a case are indexed,
how, and how a hit is shown.

Beside the register (as consumerfinance.gov keeps each app's index documents
with the app), so that ``search/`` holds only the generic machinery — Chinese
analysis, the query parser, the embedded and Elasticsearch backends and the
index layout (``search.documents``) — and never names a column of ``Case``.

A document fills the layout's four text columns (which fields fill each is
declared in ``portal.cases.fields.INDEX``, which refuses a field that is not
public in a column the public may match):

- ``title``    the case title (public; weighted highest);
- ``summary``  the anonymised public summary (public);
- ``meta``     case number, category, village, grid and source names (public);
- ``body``     the raw report, the place and the resolution: staff only, since
               they can hold names, phone numbers and home addresses. Public
               searches never match this column, so a resident cannot find a case
               by a reporter's name even though the name is never displayed.

and its filter/facet values (public flag, category, status, village, grid,
source, local year, reported time), copied beside the text so that a search
reads one narrow table instead of joining the wide case table.

``document_for_row`` and ``documents_for_rows`` are pure functions over plain
tuples, and this module imports no model at import time: rebuild workers in
other processes (``spawn``) run them without setting Django up.
"""

from search import analysis, documents

from . import fields as case_fields

_DECLARED = case_fields.by_name()
# The ``values_list`` paths whose texts fill each text column, in order: the
# fields ``portal.cases.fields.INDEX`` puts there, read as text (a related
# object by its name). ``labels`` is the ``meta`` column's share of repeated
# names (see ``document_for_row``).
TEXT_PATHS = {
    column: tuple(_DECLARED[name].text for name in names)
    for column, names in case_fields.INDEX.items()
}
# The source is stored by its code; its text is its Chinese name (``source_labels``).
_CHOICE_PATH = "source"
# The filter/facet columns (``search.documents.FILTER_COLUMNS``) are read from
# the fields of the same name, but for ``year``: the local year of ``reported_at``
# (itself a filter column).
FILTER_PATHS = tuple(c for c in documents.FILTER_COLUMNS if c != "year")


def _row_fields():
    paths = ["id"]
    for path in (*(p for ps in TEXT_PATHS.values() for p in ps), *FILTER_PATHS):
        if path not in paths:
            paths.append(path)
    return tuple(paths)


# ``Case.objects.values_list(*CASE_ROW_FIELDS)`` feeds both ``document_for_row``
# (the embedded index) and ``es_source_for_row`` (the Elasticsearch ``_source``).
CASE_ROW_FIELDS = _row_fields()
ES_ROW_FIELDS = CASE_ROW_FIELDS  # the name search.backends.elasticsearch imports
_AT = {path: position for position, path in enumerate(CASE_ROW_FIELDS)}
_TEXT_POSITIONS = {column: tuple(_AT[p] for p in paths) for column, paths in TEXT_PATHS.items()}
# Where the source's text is in a row, if the index reads it as text.
_CHOICE_AT = _AT[_CHOICE_PATH] if any(_CHOICE_PATH in p for p in TEXT_PATHS.values()) else None

# What a search result loads; never the reporter's name or phone, so nothing
# downstream can leak them.
RESULT_FIELDS = (
    "number",
    "title",
    "public_summary",
    "description",
    "status",
    "reported_at",
    "is_public",
    "category",
    "grid",
    "village",
    "category__name",
    "grid__name",
    "village__name",
)


# --- reading cases -------------------------------------------------------------------


def source_labels():
    from portal.cases.models import Case

    return dict(Case.Source.choices)


def count_cases():
    from portal.cases.models import Case

    return Case.objects.count()


def rows_for_ids(ids, fields=CASE_ROW_FIELDS):
    """Index rows of these cases, by id (ids no longer in the table are absent)."""
    from portal.cases.models import Case

    return list(Case.objects.filter(id__in=ids).order_by("id").values_list(*fields))


def rows_after(last_id, limit, fields=CASE_ROW_FIELDS):
    """The next ``limit`` index rows after ``last_id`` (for rebuilds, in id order)."""
    from portal.cases.models import Case

    return list(Case.objects.filter(id__gt=last_id).order_by("id").values_list(*fields)[:limit])


# --- embedded-index documents ----------------------------------------------------------


def _texts(row, source_labels):
    """``{column: text}`` of one row: the column's non-empty values, space-joined."""
    if _CHOICE_AT is not None:
        row = list(row)
        row[_CHOICE_AT] = source_labels.get(row[_CHOICE_AT], "")
    return {
        column: " ".join([row[p] for p in positions if row[p]])
        for column, positions in _TEXT_POSITIONS.items()
    }


def document_for_row(row, source_labels, time_zone):
    """``(id, title, summary, meta, body, *filter values)``, texts segmented for the index.

    The ``meta`` column is the case number, analysed as typed, then the label
    names, analysed once per distinct combination (``documents.labels_text``).
    """
    texts = _texts(row, source_labels)
    labels = documents.labels_text(texts["labels"])
    meta = " ".join(p for p in (analysis.index_text(texts["meta"]), labels) if p)
    reported_at = row[_AT["reported_at"]]
    return (
        row[_AT["id"]],
        analysis.index_text(texts["title"]),
        analysis.index_text(texts["summary"]),
        meta,
        analysis.index_text(texts["body"]),
        bool(row[_AT["is_public"]]),
        row[_AT["category_id"]],
        row[_AT["status"]],
        row[_AT["village_id"]],
        row[_AT["grid_id"]],
        row[_AT["source"]],
        documents.local_year(reported_at, time_zone),
        reported_at,
    )


def documents_for_rows(args):
    """Worker entry point: ``(rows, source_labels, time_zone)`` → list of documents."""
    rows, source_labels, time_zone = args
    return [document_for_row(row, source_labels, time_zone) for row in rows]


# --- Elasticsearch documents -------------------------------------------------------------


def es_source_for_row(row, source_labels):
    """The ``_source`` of one case, from a ``values_list(*CASE_ROW_FIELDS)`` row."""
    from django.utils import timezone

    texts = _texts(row, source_labels)
    reported_at = row[_AT["reported_at"]]
    local = timezone.localtime(reported_at) if reported_at else None
    meta = " ".join(p for p in (texts["meta"], texts["labels"]) if p)
    return {
        "number": row[_AT["number"]],
        "title": analysis.normalize(texts["title"]),
        "summary": analysis.normalize(texts["summary"]),
        "meta": analysis.normalize(meta),
        "body": analysis.normalize(texts["body"]),
        "category_id": row[_AT["category_id"]],
        "status": row[_AT["status"]],
        "village_id": row[_AT["village_id"]],
        "grid_id": row[_AT["grid_id"]],
        "source": row[_AT["source"]],
        "year": local.year if local else None,
        "reported_at": local.isoformat() if local else None,
        "is_public": row[_AT["is_public"]],
    }


# --- showing hits ----------------------------------------------------------------------


def cases_for_hits(ids):
    """``{id: case}`` of the hit cases, with what a result shows (and nothing private)."""
    from portal.cases.models import Case

    cases = Case.objects.filter(id__in=ids).select_related("category", "grid", "village")
    return {case.id: case for case in cases.only(*RESULT_FIELDS)}


def result_for_case(case, public_only):
    """The plain fields of one result; the summary is the public one unless staff search."""
    from django.utils import timezone

    return {
        "number": case.number,
        "title": case.title,
        "summary": case.public_summary if public_only else case.description,
        "category": case.category.name,
        "status": case.get_status_display(),
        "grid": case.grid.name,
        "village": case.village.name,
        "reported_at": timezone.localtime(case.reported_at).isoformat(),
        "is_closed": case.is_closed,
        "is_public": case.is_public,
        "village_id": case.village_id,
    }


def facet_labels(raw):
    """``{facet: {stored value: (value to pass back, label)}}`` for the raw facet values."""
    from portal.cases.models import Case, CaseCategory
    from portal.snippets.models import Region

    category_ids = [int(v) for v, _ in raw.get("category", [])]
    village_ids = [int(v) for v, _ in raw.get("village", [])]
    categories = CaseCategory.objects.filter(id__in=category_ids).values_list("id", "code", "name")
    villages = Region.objects.filter(id__in=village_ids).values_list("id", "name")
    return {
        "category": {str(pk): (code, name) for pk, code, name in categories},
        "village": {str(pk): (pk, name) for pk, name in villages},
        "status": {value: (value, label) for value, label in Case.Status.choices},
        "source": {value: (value, label) for value, label in Case.Source.choices},
    }
