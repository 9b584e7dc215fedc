"""Which pages are public, read once per change rather than once per call.

Wagtail's ``PageQuerySet.public()`` reads every view restriction each time it is
called; the home page (notices, policies, disclosures) called it four times per
request, four identical queries. ``private_q()`` keeps the restricted sections
in process memory, keyed by the page cache's generation token: any change to a
view restriction replaces that token for every worker (portal/pagecache), so a
new restriction is honoured on the next request everywhere.
"""

from django.db.models import Q
from wagtail.models import PageViewRestriction

from portal.pagecache.keys import current_generation

# The columns Wagtail needs to build a page's URL and tell whether it is live: the
# start of every list-row ``.only()`` (notices, policies, home-page rows).
PAGE_ROW_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "live")

_sections = {}  # generation token → ((path, depth), …) of restricted sections


def restricted_sections():
    generation = current_generation()
    sections = _sections.get(generation)
    if sections is None:
        sections = tuple(
            PageViewRestriction.objects.values_list("page__path", "page__depth").distinct()
        )
        _sections.clear()  # only the live generation is worth keeping
        _sections[generation] = sections
    return sections


def private_q():
    """A Q matching every page inside a restricted section (as Wagtail's ``private_q``)."""
    q = Q()
    for path, depth in restricted_sections():
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def public_only(queryset):
    """``queryset.public()`` without a query when the restrictions are known."""
    return queryset.exclude(private_q())
