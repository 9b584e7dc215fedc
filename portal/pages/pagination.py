"""Pagination for public lists: Django's Paginator, 20 rows a page, Chinese labels in templates.

``get_page`` already turns a missing, non-numeric or out-of-range ``?page=`` into
the nearest valid page, so a mistyped link never errors.
"""

from django.core.paginator import Paginator

PER_PAGE = 20


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page of ``queryset`` plus a compact page range (with … gaps)."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, page_range
