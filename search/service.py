"""Case search as the portal uses it: who may see what, and what is shown.

The page, the JSON API and the admin all call ``search_cases``:

- anonymous visitors (and the public page, always) see public cases only,
  matched on their public columns only, and are shown the public summary;
- staff see the cases of their own regions (``portal.snippets.scope``),
  public or not, matched on the raw report too, and are shown the description.

Reporter names and phones are never part of a result.
"""

from dataclasses import dataclass, field

from . import highlight as hl
from .backends import get_case_search_backend
from .backends.base import FACETS, CaseSearchRequest
from .query import parse_query
from .synonyms import get_synonym_table

SUMMARY_LENGTH = 120
# The keys of a result in the JSON API (the page also uses ``is_closed``).
RESULT_KEYS = (
    "number",
    "title",
    "summary",
    "category",
    "status",
    "grid",
    "village",
    "reported_at",
    "highlight",
)


@dataclass
class Audience:
    public_only: bool = True
    region_ids: set | None = None  # None: every region

    @property
    def is_staff(self):
        return not self.public_only


PUBLIC = Audience()


def audience_for(user):
    """Staff (admin access) search within their regions; everyone else sees public cases."""
    from portal.snippets.scope import region_ids_in_scope

    if user is None or not user.is_authenticated:
        return PUBLIC
    if not (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return PUBLIC
    scope = region_ids_in_scope(user)
    return Audience(public_only=False, region_ids=None if scope is None else set(scope))


@dataclass
class CaseSearchPage:
    params: object
    parsed: object
    total: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    relaxed: bool = False
    fell_back: bool = False
    nothing_to_search: bool = False  # the query held only punctuation or function words

    @property
    def page_count(self):
        return max(1, -(-self.total // self.params.page_size))

    @property
    def has_previous(self):
        return self.params.page > 1

    @property
    def has_next(self):
        return self.params.page < self.page_count

    def as_json(self):
        return {
            "count": self.total,
            "page": self.params.page,
            "page_size": self.params.page_size,
            "results": [
                {key: value for key, value in item.items() if key in RESULT_KEYS}
                for item in self.results
            ],
            "facets": {
                name: [
                    {"value": f["value"], "label": f["label"], "count": f["count"]} for f in values
                ]
                for name, values in self.facets.items()
            },
            "relaxed": self.relaxed,
            "synonyms": self.parsed.synonyms_used,
        }


def search_cases(params, audience=PUBLIC, backend=None):
    """Run one search for ``params`` (``search.params.CaseSearchParams``) as ``audience``."""
    parsed = parse_query(params.q, get_synonym_table())
    page = CaseSearchPage(params=params, parsed=parsed)
    if parsed.is_empty and parsed.raw:
        page.nothing_to_search = True
        return page
    request = CaseSearchRequest(
        query=parsed,
        filters=params.filters,
        public_only=audience.public_only,
        region_ids=audience.region_ids,
        offset=params.offset,
        limit=params.page_size,
    )
    backend = backend or get_case_search_backend()
    outcome = backend.search_relaxing(request)
    page.total = outcome.total
    page.relaxed = outcome.relaxed
    page.fell_back = outcome.fell_back
    page.results = _results(outcome.hits, parsed, audience)
    page.facets = _facets(outcome.facets, params)
    return page


def _results(hits, parsed, audience):
    from portal.cases import search_index

    by_id = search_index.cases_for_hits([hit.case_id for hit in hits])
    words = parsed.highlight_words()
    results = []
    for hit in hits:
        case = by_id.get(hit.case_id)
        if case is None:
            continue  # deleted since the index answered
        item = search_index.result_for_case(case, audience.public_only)
        if not _visible(item, audience):
            # Changed behind the case services' back: the case table decides.
            continue
        title_html = hit.highlight.get("title") or hl.highlight(item["title"], words)
        summary_html = hit.highlight.get("summary") or hl.highlight(
            item["summary"], words, max_length=SUMMARY_LENGTH
        )
        item["highlight"] = {"title": str(title_html), "summary": str(summary_html)}
        results.append(item)
    return results


def _visible(item, audience):
    if audience.public_only and not item["is_public"]:
        return False
    return audience.region_ids is None or item["village_id"] in audience.region_ids


def _facets(raw, params):
    from portal.cases import search_index

    facets = {}
    if not raw:
        return facets
    labels = search_index.facet_labels(raw)
    for name in FACETS:
        entries = []
        known = labels.get(name)
        for value, count in raw.get(name, []):
            if name == "year":
                value = int(value)
                label = f"{value}年"
            elif name in ("category", "village"):
                found = known.get(str(value))
                if found is None:
                    continue  # deleted since the index answered
                value, label = found
            else:
                value, label = known.get(value, (value, value))
            entries.append(
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "selected": str(params.selected.get(name, "")) == str(value),
                }
            )
        if name == "year":
            entries.sort(key=lambda e: -e["value"])
        facets[name] = entries
    return facets


def filter_cases_by_text(queryset, text, substring_fields=()):
    """Narrow a case queryset (already scoped by the caller) to the cases matching ``text``.

    Used by the admin case list: staff columns are searched (the raw report too),
    synonyms apply, every word must match. A case also matches when every
    space-separated word occurs as a substring of one of ``substring_fields``:
    staff type fragments of numbers, names and places, which need not line up
    with word boundaries. The caller keeps its own ordering and pagination.
    """
    import operator
    from functools import reduce

    from django.db.models import Q
    from django.db.models.expressions import RawSQL

    from .backends.embedded import get_dialect

    parsed = parse_query(text, get_synonym_table())
    words = parsed.raw.split()
    conditions = []
    if not parsed.is_empty:
        match_sql, match_params = get_dialect().match(parsed, public_only=False, mode="and")
        conditions.append(Q(id__in=RawSQL(f"SELECT id FROM ({match_sql}) m", match_params)))
    if substring_fields and words:
        conditions.append(
            reduce(
                operator.and_,
                (
                    reduce(
                        operator.or_,
                        (Q(**{f"{field}__icontains": word}) for field in substring_fields),
                    )
                    for word in words
                ),
            )
        )
    if not conditions:
        return queryset.none() if parsed.raw else queryset
    return queryset.filter(reduce(operator.or_, conditions))
