"""The OpenAPI schema: valid, complete, and browsable offline."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

# Not API endpoints themselves, or a catch-all that only answers with an error.
NOT_IN_SCHEMA = {"/api/schema/", "/api/docs/"}


def _route_text(pattern):
    text = str(pattern.pattern)
    # Django path converters → OpenAPI templates; drop regex anchors.
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    return text.lstrip("^").rstrip("$")


def public_api_routes():
    """Every concrete URL under /api/ or /open311/ the project routes to."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            text = prefix + _route_text(pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                path = "/" + text
                if path.startswith(("/api/", "/open311/")) and "(" not in path:
                    found.add(path)

    walk(get_resolver().url_patterns, "")
    return found - NOT_IN_SCHEMA


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_lists_every_api_path(schema):
    routes = public_api_routes()
    # drf-spectacular names a model's {pk} path parameter {id}.
    missing = {
        r
        for r in routes
        if r not in schema["paths"] and r.replace("{pk}", "{id}") not in schema["paths"]
    }
    assert not missing, f"endpoints missing from the OpenAPI schema: {sorted(missing)}"
    for expected in (
        "/api/registers/grids/",
        "/api/registers/case-stats/",
        "/api/registers/disclosure-compliance/",
        "/open311/v2/requests.json",
        "/open311/v2/requests/{service_request_id}.xml",
        "/api/staff/cases/",
        "/api/v2/pages/",
    ):
        assert expected in schema["paths"]


def test_operations_are_described_in_chinese(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            text = operation.get("summary", "") + operation.get("description", "")
            assert re.search(r"[\u4e00-\u9fff]", text), f"{method.upper()} {path}"


def test_open311_json_and_xml_paths_declare_their_own_media_type(schema):
    ok = schema["paths"]["/open311/v2/requests.xml"]["get"]["responses"]["200"]["content"]
    assert list(ok) == ["text/xml"]
    ok = schema["paths"]["/open311/v2/requests.json"]["get"]["responses"]["200"]["content"]
    assert list(ok) == ["application/json"]


def test_staff_endpoints_declare_token_security(schema):
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    security = schema["paths"]["/api/staff/cases/"]["get"]["security"]
    assert {"apiToken": []} in security


def test_docs_page_works_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [u for u in urls if u.endswith((".js", ".css", ".png"))]
    assert len(assets) >= 5
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"missing static file {url}"
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html
    assert 'data-schema-url="/api/schema/?format=json"' in html
