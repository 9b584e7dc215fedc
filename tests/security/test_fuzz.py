"""Fuzz every public URL with hostile query parameters: never a 5xx, never broken JSON/XML.

The URLs come from the URLconf (every public route, path parameters filled from
the data) and from the page tree (one live page of each page type, plus each
index and the print views). Each URL gets the query parameters it reads
(``PARAMS``) with each value of ``HOSTILE_VALUES``, plus invalid percent-encoding
and repeated parameters. Any status ≥ 500, a JSON body ``json`` cannot parse or
an XML body ``xml.etree`` cannot parse fails the test, listing every offender.

The data is the demo site, built once for the module's one walk. Rate limits
are off (``RATE_LIMITS``): thousands of requests from one client would
otherwise be throttled, which is tested in ``test_rate_limits``.
"""

import json
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

HOSTILE_VALUES = [
    "²",  # superscript two: str.isdigit() is True, int() fails
    "٣",  # Arabic-Indic three: int() accepts it
    "99999999999999999999",
    "-1",
    "0000",
    "a\x00b",
    "\x0b\x01\x1f",
    "x" * 10_000,
]
RAW_QUERIES = ["%zz", "%E4%B8%ff", "a=%C0%AF"]

COMMON = ["page", "q"]
PARAMS = {
    "/api/registers/": ["village", "town", "page", "page_size", "months", "period", "status"],
    "/open311/v2/requests": [
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "page",
        "page_size",
    ],
    "/api/v2/": [
        "offset",
        "limit",
        "id",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "translation_of",
        "type",
        "fields",
        "search",
        "order",
        "html_path",
    ],
    "/cases/search/": ["q", "page", "page_size", "category", "status", "grid", "village", "year"],
    "/api/cases/search/": [
        "q",
        "page",
        "page_size",
        "category",
        "status",
        "grid",
        "village",
        "source",
        "year",
    ],
    "/search/": ["q", "page"],
    "/grids/": ["code", "q"],
    "/disclosures/compliance/": ["village", "town", "period", "year", "kind"],
    "/disclosures/": ["kind", "year", "period", "page"],
    "/notices/": ["category", "year", "page"],
    "/policies/": ["level", "topic", "status", "year", "page"],
}
SKIP_PREFIXES = ("admin/", "django-admin/", "documents/", "_util/", "api/staff/", "imports/")


def params_for(path):
    names = set(COMMON)
    for prefix, extra in PARAMS.items():
        if path.startswith(prefix):
            names.update(extra)
    return sorted(names)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def public_urls():
    """Every public URL: routes of the URLconf (parameters filled in) and the page tree."""
    from portal.cases.models import Case, CaseCategory
    from portal.snippets.models import Grid, Region

    grid = Grid.objects.filter(live=True).order_by("pk").first()
    case = Case.objects.filter(is_public=True).order_by("pk").first()
    fills = {
        "<int:town_id>": str(Region.objects.filter(level="town").first().pk),
        "<int:village_id>": str(Region.objects.filter(level="village").first().pk),
        "<str:code>": grid.code,
        "<slug:service_code>": CaseCategory.objects.order_by("pk").first().code,
        "<str:service_request_id>": case.number if case else "AJ0",
        "<int:pk>": str(Page.objects.live().filter(depth__gt=1).first().pk),
        "^": "",
        "$": "",
    }
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P" in route or "((?:" in route:
            continue
        for placeholder, value in fills.items():
            route = route.replace(placeholder, value)
        if "<" in route or "\\" in route:
            continue
        urls.add("/" + route)
    urls.update(["/open311/v2/nothing.xml", "/api/nothing/"])
    # The page tree: one live public page of each type, plus print views where they exist.
    seen_types = set()
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        if type(page) in seen_types:
            continue
        seen_types.add(type(page))
        url = page.get_url()
        if url:
            urls.add(url)
            urls.add(url + "print/")
    return sorted(urls)


def problems_of(url, response):
    """Why ``response`` fails the fuzz test (empty when it passes)."""
    if response.status_code >= 500:
        return [f"{url} → {response.status_code}"]
    if response.status_code in (301, 302, 303, 307, 308):
        return []
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        try:
            json.loads(body.decode("utf-8"))
        except ValueError as error:
            return [f"{url} → JSON 无法解析：{error}"]
    elif "xml" in content_type:
        try:
            ElementTree.fromstring(body)
        except ElementTree.ParseError as error:
            return [f"{url} → XML 无法解析：{error}"]
    return []


def hostile_queries(path):
    for name in params_for(path):
        for value in HOSTILE_VALUES:
            yield f"{name}={quote(value, safe='')}"
        yield f"{name}=1&{name}=%C2%B2&{name}=99999999999999999999"  # repeated
    for raw in RAW_QUERIES:
        yield raw if "=" in raw else f"{params_for(path)[0]}={raw}"


@pytest.fixture
def demo_site(demo_data, settings):
    settings.RATE_LIMITS = {"search": None, "api": None, "login": None}


def test_no_public_url_fails_on_hostile_parameters(demo_site):
    client = Client(raise_request_exception=False)
    urls = public_urls()
    assert len(urls) >= 35, urls  # the walk really covers the site
    failures = []
    requests = 0
    for url in urls:
        failures += problems_of(url, client.get(url))
        for query in hostile_queries(url.split("?")[0]):
            response = client.get(f"{url}?{query}")
            requests += 1
            failures += problems_of(f"{url}?{query[:80]}", response)
    assert requests > 500
    assert not failures, f"{len(failures)} 个失败：\n" + "\n".join(failures[:60])


def test_the_checker_catches_500s_and_broken_documents():
    from django.http import HttpResponse

    assert problems_of("/x", HttpResponse(status=500))
    assert problems_of("/x", HttpResponse(b"<a>\x0b</a>", content_type="text/xml"))
    assert problems_of("/x", HttpResponse(b"{nope", content_type="application/json"))
    assert not problems_of("/x", HttpResponse(b"<a>ok</a>", content_type="text/xml"))
    assert not problems_of("/x", HttpResponse(b"{}", content_type="application/json"))
