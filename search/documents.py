"""What of a case goes into the index, and in which column.

Four columns, because what may be matched depends on who searches:

- ``title``    the case title (public; weighted highest);
- ``summary``  the anonymised public summary (public);
- ``meta``     case number, category, village, grid and source names (public);
- ``body``     the raw report, the place and the resolution: staff only, since
               they can hold names, phone numbers and home addresses. Public
               searches never match this column, so a resident cannot find a case
               by a reporter's name even though the name is never displayed.

Pure functions over plain tuples (no Django imports) so rebuild workers in
other processes can run them.
"""

from functools import lru_cache

from . import analysis

# The order of the columns in the FTS5 table and in ``CASE_ROW_FIELDS`` rows.
COLUMNS = ("title", "summary", "meta", "body")
PUBLIC_COLUMNS = ("title", "summary", "meta")

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
)


def document_for_row(row, source_labels):
    """``(id, title, summary, meta, body)`` with each text segmented for the index."""
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
    ) = row
    labels = " ".join(p for p in (category, village, grid, source_labels.get(source, "")) if p)
    meta = " ".join(p for p in (analysis.index_text(number), _labels_text(labels)) if p)
    body = " ".join(part for part in (description, place, resolution) if part)
    return (
        case_id,
        analysis.index_text(title),
        analysis.index_text(summary),
        meta,
        analysis.index_text(body),
    )


@lru_cache(maxsize=4096)
def _labels_text(labels):
    # Category, village, grid and source names repeat across thousands of cases.
    return analysis.index_text(labels)


def documents_for_rows(args):
    """Worker entry point: ``(rows, source_labels)`` → list of documents."""
    rows, source_labels = args
    return [document_for_row(row, source_labels) for row in rows]


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
    for text, weight in zip(texts, weights, strict=True):
        for token in text.split():
            position = min(position + 1, MAX_TS_POSITION)
            if len(token.encode()) > MAX_LEXEME_BYTES:
                continue
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{token}':{','.join(found)}" for token, found in positions.items())
