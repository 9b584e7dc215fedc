"""The case register's side of the case index: which columns of a case are indexed,
how, and how a hit is shown.

Beside the register (as consumerfinance.gov keeps each app's index documents
with the app), so that ``search/`` holds only the generic machinery — Chinese
analysis, the query parser, the embedded and Elasticsearch backends and the
index layout (``search.documents``) — and never names a column of ``Case``.

An embedded-index document fills the layout's four text columns:

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

# ``Case.objects.values_list(*CASE_ROW_FIELDS)`` feeds ``document_for_row``.
CASE_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "public_summary",
    "description",
    "place",
    "resolution",
    "category__name",
    "village__name",
    "grid__name",
    "source",
    "is_public",
    "category_id",
    "status",
    "village_id",
    "grid_id",
    "reported_at",
)
# ``values_list(*ES_ROW_FIELDS)`` feeds ``es_source_for_row`` (the Elasticsearch ``_source``).
ES_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "public_summary",
    "description",
    "place",
    "resolution",
    "category__name",
    "village__name",
    "grid__name",
    "source",
    "category_id",
    "status",
    "village_id",
    "grid_id",
    "reported_at",
    "is_public",
)
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


def document_for_row(row, source_labels, time_zone):
    """``(id, title, summary, meta, body, *filter values)``, texts segmented for the index."""
    (
        case_id,
        number,
        title,
        summary,
        description,
        place,
        resolution,
        category,
        village,
        grid,
        source,
        is_public,
        category_id,
        status,
        village_id,
        grid_id,
        reported_at,
    ) = row
    labels = " ".join(p for p in (category, village, grid, source_labels.get(source, "")) if p)
    meta = " ".join(p for p in (analysis.index_text(number), documents.labels_text(labels)) if p)
    body = " ".join(part for part in (description, place, resolution) if part)
    return (
        case_id,
        analysis.index_text(title),
        analysis.index_text(summary),
        meta,
        analysis.index_text(body),
        bool(is_public),
        category_id,
        status,
        village_id,
        grid_id,
        source,
        documents.local_year(reported_at, time_zone),
        reported_at,
    )


def documents_for_rows(args):
    """Worker entry point: ``(rows, source_labels, time_zone)`` → list of documents."""
    rows, source_labels, time_zone = args
    return [document_for_row(row, source_labels, time_zone) for row in rows]


# --- Elasticsearch documents -------------------------------------------------------------


def es_source_for_row(row, source_labels):
    """The ``_source`` of one case, from a ``values_list(*ES_ROW_FIELDS)`` row."""
    from django.utils import timezone

    values = dict(zip(ES_ROW_FIELDS, row, strict=True))
    reported_at = values["reported_at"]
    local = timezone.localtime(reported_at) if reported_at else None
    meta = " ".join(
        part
        for part in (
            values["number"],
            values["category__name"],
            values["village__name"],
            values["grid__name"],
            source_labels.get(values["source"], ""),
        )
        if part
    )
    body = " ".join(p for p in (values["description"], values["place"], values["resolution"]) if p)
    return {
        "number": values["number"],
        "title": analysis.normalize(values["title"]),
        "summary": analysis.normalize(values["public_summary"]),
        "meta": analysis.normalize(meta),
        "body": analysis.normalize(body),
        "category_id": values["category_id"],
        "status": values["status"],
        "village_id": values["village_id"],
        "grid_id": values["grid_id"],
        "source": values["source"],
        "year": local.year if local else None,
        "reported_at": local.isoformat() if local else None,
        "is_public": values["is_public"],
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
