"""What of a case goes into the index, and in which column.

Four text columns, because what may be matched depends on who searches:

- ``title``    the case title (public; weighted highest);
- ``summary``  the anonymised public summary (public);
- ``meta``     case number, category, village, grid and source names (public);
- ``body``     the raw report, the place and the resolution: staff only, since
               they can hold names, phone numbers and home addresses. Public
               searches never match this column, so a resident cannot find a case
               by a reporter's name even though the name is never displayed.

and the filter/facet values (public flag, category, status, village, grid,
source, local year, reported time), copied beside the text so that a search
reads one narrow table instead of joining the wide case table. They are
written by the same ``cases_changed`` call as the text, in the same
transaction, and the service re-checks visibility on the rows it displays.

Pure functions over plain tuples (no Django imports) so rebuild workers in
other processes can run them.
"""

import zoneinfo
from functools import lru_cache

from . import analysis

# The order of the text columns in the FTS5 table and in a document.
COLUMNS = ("title", "summary", "meta", "body")
PUBLIC_COLUMNS = ("title", "summary", "meta")
# The filter columns, in document order after the texts.
FILTER_COLUMNS = (
    "is_public",
    "category_id",
    "status",
    "village_id",
    "grid_id",
    "source",
    "year",
    "reported_at",
)

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
    meta = " ".join(p for p in (analysis.index_text(number), _labels_text(labels)) if p)
    body = " ".join(part for part in (description, place, resolution) if part)
    year = reported_at.astimezone(_zone(time_zone)).year if reported_at else None
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
        year,
        reported_at,
    )


@lru_cache(maxsize=8)
def _zone(name):
    return zoneinfo.ZoneInfo(name)


@lru_cache(maxsize=4096)
def _labels_text(labels):
    # Category, village, grid and source names repeat across thousands of cases.
    return analysis.index_text(labels)


def documents_for_rows(args):
    """Worker entry point: ``(rows, source_labels, time_zone)`` → list of documents."""
    rows, source_labels, time_zone = args
    return [document_for_row(row, source_labels, time_zone) for row in rows]


# PostgreSQL limits: positions above this are clamped; longer lexemes are refused.
MAX_TS_POSITION = 16383
MAX_LEXEME_BYTES = 2046


def tsvector_literal(texts, weights):
    """A PostgreSQL tsvector literal of space-joined token texts, one weight each.

    Positions run on across the texts, as ``setweight(...) || setweight(...)``
    would give. Tokens hold only letters, digits and CJK characters, so no
    quoting beyond the surrounding quotes is needed.
    """
    positions = {}
    position = 0
    for text, weight in zip(texts, weights, strict=False):
        for token in text.split():
            position = min(position + 1, MAX_TS_POSITION)
            if len(token.encode()) > MAX_LEXEME_BYTES:
                continue
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{token}':{','.join(found)}" for token, found in positions.items())
