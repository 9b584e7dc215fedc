"""The layout of the case index: its text and filter columns, and literal helpers.

Four text columns, because what may be matched depends on who searches: three
public ones (``title``, ``summary``, ``meta``) and ``body``, matched for staff
only. Then the filter/facet values, copied beside the text so that a search
reads one narrow table instead of joining the wide case table. They are written
by the same ``cases_changed`` call as the text, in the same transaction, and the
service re-checks visibility on the rows it displays.

What of a case fills each column is the case register's business:
``portal.cases.search_index`` (it builds the documents; this module never
names a column of ``Case``).

No Django imports, so rebuild workers in other processes can use it.
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


def local_year(moment, time_zone):
    """The year of an aware datetime in ``time_zone`` (the year facet), None for none."""
    return moment.astimezone(_zone(time_zone)).year if moment else None


@lru_cache(maxsize=8)
def _zone(name):
    return zoneinfo.ZoneInfo(name)


@lru_cache(maxsize=4096)
def labels_text(labels):
    """Segmented label names; category, village, grid and source names repeat across
    thousands of documents, so they are analysed once."""
    return analysis.index_text(labels)


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
