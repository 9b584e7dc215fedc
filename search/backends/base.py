"""The interface every case-search backend implements, and the values it trades in.

A backend knows how to keep an index of cases and how to answer a
``CaseSearchRequest`` with ranked case ids and facet counts. Everything about
*who* may see *what* is decided before the request reaches it (see
``search.service``): the request carries ``public_only`` and ``region_ids``,
and the backend applies them as filters.
"""

from dataclasses import dataclass, field, replace

FACETS = ("category", "status", "village", "source", "year")


@dataclass
class CaseFilters:
    """Exact-match filters, already validated and resolved to database values."""

    category_id: int | None = None
    status: str | None = None
    grid_id: int | None = None
    village_id: int | None = None
    source: str | None = None
    year: int | None = None


@dataclass
class CaseSearchRequest:
    query: object  # search.query.ParsedQuery; empty → browse newest first
    filters: CaseFilters = field(default_factory=CaseFilters)
    public_only: bool = True
    region_ids: set | None = None  # None: no region restriction
    offset: int = 0
    limit: int = 20
    with_facets: bool = True
    mode: str = "and"  # "and": every query term must match; "or": any of them


@dataclass
class CaseHit:
    case_id: int
    score: float = 0.0
    highlight: dict = field(default_factory=dict)  # field → HTML, when the engine made one


@dataclass
class CaseSearchOutcome:
    total: int
    hits: list
    facets: dict  # facet name → list of (value, count), value as stored (ids, codes, years)
    relaxed: bool = False  # no case had every word; these have some of them
    backend: str = ""
    fell_back: bool = False  # the configured backend failed; the embedded one answered


class CaseSearchBackend:
    name = "base"

    def search(self, request):
        """Answer a ``CaseSearchRequest`` with a ``CaseSearchOutcome``."""
        raise NotImplementedError

    def index_cases(self, case_ids):
        """(Re)index these cases; ids of cases that no longer exist are removed."""
        raise NotImplementedError

    def delete_cases(self, case_ids):
        raise NotImplementedError

    def rebuild(self, progress=None, workers=1):
        """Index every case from scratch. ``progress(done, total)`` is called as it goes."""
        raise NotImplementedError

    def search_relaxing(self, request):
        """Search requiring every word; when nothing matches, accept any of them."""
        outcome = self.search(request)
        if outcome.total == 0 and len(request.query.terms) > 1:
            relaxed = self.search(replace(request, mode="or"))
            if relaxed.total:
                relaxed.relaxed = True
                return relaxed
        return outcome
