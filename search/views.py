"""Public search pages: the case search (/cases/search/) and site search (/search/)."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET
from wagtail.models import Page

from . import analysis
from . import highlight as hl
from .params import FILTER_NAMES, SearchParamError, parse_case_search_params
from .query import parse_query
from .service import PUBLIC, search_cases
from .synonyms import get_synonym_table

FACET_TITLES = {
    "category": "事件类别",
    "status": "办理状态",
    "village": "村（社区）",
    "source": "事件来源",
    "year": "年份",
}
SITE_PAGE_SIZE = 10


def _link(current, **changes):
    """A query string from ``current`` with ``changes`` applied (None removes a key)."""
    merged = {k: v for k, v in current.items() if v not in ("", None)}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if "page" not in changes:  # a new filter starts again at page 1
        merged.pop("page", None)
    return "?" + urlencode(merged)


@require_GET
def case_search(request):
    """The public case search: public cases and public summaries only, whoever is logged in."""
    current = {name: request.GET.get(name, "") for name in ("q", *FILTER_NAMES, "page_size")}
    context = {"q": request.GET.get("q", ""), "facet_titles": FACET_TITLES}
    try:
        params = parse_case_search_params(request.GET)
    except SearchParamError as error:
        context["errors"] = list(error.errors.values())
        context["reset_url"] = _link({"q": current["q"]})
        return render(request, "search/case_search.html", context, status=400)

    page = search_cases(params, PUBLIC)
    facets = []
    for name, entries in page.facets.items():
        links = []
        for entry in entries:
            value = None if entry["selected"] else entry["value"]
            links.append({**entry, "url": _link(current, **{name: value})})
        if links:
            facets.append({"name": name, "title": FACET_TITLES[name], "entries": links})
    context.update(
        {
            "params": params,
            "page": page,
            "facets": facets,
            "truncated": page.parsed.truncated,
            "max_length": analysis.MAX_QUERY_LENGTH,
            "previous_url": _link(current, page=params.page - 1) if page.has_previous else "",
            "next_url": _link(current, page=params.page + 1) if page.has_next else "",
            "clear_filters_url": _link({"q": current["q"]}) if params.selected else "",
            "categories": _category_links(),
        }
    )
    return render(request, "search/case_search.html", context)


def _category_links():
    from portal.cases.models import CaseCategory

    return [
        {"name": name, "url": "?" + urlencode({"category": code})}
        for code, name in CaseCategory.objects.order_by("name").values_list("code", "name")
    ]


@require_GET
def site_search(request):
    """Search of published, public pages (notices, disclosures, policies …)."""
    q, truncated = analysis.clip_query(request.GET.get("q", ""))
    context = {"q": q, "truncated": truncated, "max_length": analysis.MAX_QUERY_LENGTH}
    if q:
        parsed = parse_query(q, get_synonym_table())
        results = Page.objects.live().public().filter(depth__gt=1).search(q)
        paginator = Paginator(results, SITE_PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context.update(
            {
                "page_obj": page_obj,
                "items": _site_items(list(page_obj.object_list), parsed.highlight_words()),
                "synonyms": parsed.synonyms_used,
                "nothing_to_search": parsed.is_empty,
            }
        )
    return render(request, "search/site_search.html", context)


def _snippet_text(page):
    for attribute in ("search_description", "summary", "intro"):
        value = getattr(page, attribute, "")
        if isinstance(value, str) and value.strip():
            return strip_tags(value).strip()
    return ""


def _publication_date(page):
    """The date the page itself shows as its publication: a notice's 发布日期, a
    policy's 发布日期 (issue date), else when the page was first published —
    never ``last_published_at``, which a re-save or a data load moves to today."""
    for attribute in ("date", "issue_date"):
        value = getattr(page, attribute, None)
        if value:
            return value
    return page.first_published_at or page.last_published_at


def _site_items(pages, words):
    specific = {p.id: p for p in Page.objects.filter(id__in=[p.id for p in pages]).specific()}
    items = []
    for page in pages:
        page = specific.get(page.id, page)
        date = _publication_date(page)
        items.append(
            {
                "url": page.url,
                "title": hl.highlight(page.title, words),
                "type": page.specific_class._meta.verbose_name if page.specific_class else "页面",
                "date": date,
                "snippet": hl.highlight(_snippet_text(page), words, max_length=120),
            }
        )
    return items
