"""The text search behind the admin case list's search box.

One function so the search engineer can swap in Chinese full-text search
(segmentation, synonyms, the case index) without touching the admin views:
replace the body of ``search_cases``, keep its contract.
"""

from search.service import filter_cases_by_text

from . import fields as case_fields

# Matched as substrings: the fields ``portal.cases.fields`` declares ``admin_search``.
SEARCH_FIELDS = case_fields.ADMIN_SEARCH


def search_cases(queryset, search_term, *, user=None):
    """Narrow ``queryset`` to the cases matching ``search_term``.

    Contract: ``queryset`` is already limited to the user's regions and the
    list's filters; return a queryset that is a subset of it (the list pages,
    counts and orders it). ``user`` is the person searching.

    Chinese full-text search over the case index (segmentation, synonyms, the
    raw report included: staff see their own cases), or every word as a
    substring of the number, the title or the place — see
    ``search.service.filter_cases_by_text``.
    """
    return filter_cases_by_text(queryset, search_term, substring_fields=SEARCH_FIELDS)
