"""Security headers on the public site and the admin; no inline script on public pages."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def csp(response):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
    )


def test_public_pages_get_the_strict_policy(client):
    response = client.get("/api/registers/regions/")
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_gets_a_compatible_policy_that_allows_its_own_preview_frames(client):
    response = client.get("/admin/login/")
    policy = csp(response)
    assert policy["frame-ancestors"] == "'self'"
    assert policy["frame-src"] == "'self'"
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's own inline widgets
    assert "https:" not in response["Content-Security-Policy"]


def test_report_only_mode(client, settings):
    settings.SECURITY_CSP_REPORT_ONLY = True
    response = client.get("/api/registers/regions/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


PRODUCTION_TRANSPORT = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
)


def production_values(names):
    """The values ``portal.settings.production`` really sets, read in a fresh process
    with a deployment's environment (and none of this run's overrides)."""
    dropped = {"DJANGO_SETTINGS_MODULE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "portal.example.org", "PII_KEY": "k" * 32})
    code = (
        "import json; from portal.settings import production as p; "
        f"print(json.dumps({{n: getattr(p, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_send_hsts_and_move_http_to_https(client, settings):
    for name, value in production_values(PRODUCTION_TRANSPORT).items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    secure = client.get("/api/registers/regions/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    plain = client.get("/api/registers/regions/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/api/registers/regions/"
    assert "Strict-Transport-Security" not in plain  # never sent over plain HTTP
    # Behind the TLS-terminating proxy, a request it forwarded as https is https.
    proxied = client.get("/api/registers/regions/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert "Strict-Transport-Security" in proxied


class _Scanner(HTMLParser):
    """Collects what a strict CSP would block, and the site's own links."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.links = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "script":
            kind = (attrs.get("type") or "").lower()
            if "src" in attrs:
                if not attrs["src"].startswith("/static/"):
                    self.problems.append(f"script not from /static/: {attrs['src']}")
            elif kind not in ("application/json", "application/ld+json"):
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            if not (attrs.get("href") or "").startswith("/static/"):
                self.problems.append(f"stylesheet not from /static/: {attrs.get('href')}")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/api/", "/open311/")


def crawl(client, start, limit=250):
    seen, queue, pages = set(), list(start), {}
    variants = {}  # path → query variants visited: facet links would swamp the crawl
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = url.split("?", 1)[0]
        if url in seen or (url not in start and variants.get(path, 0) >= 3):
            continue
        seen.add(url)
        variants[path] = variants.get(path, 0) + 1
        response = client.get(url)
        if response.status_code not in (200, 404):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        scanner = _Scanner()
        scanner.feed(response.content.decode())
        pages[url] = (response, scanner.problems)
        for href in scanner.links:
            parts = urlsplit(urljoin("http://testserver" + url, href))
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            # one page of each listing is enough; do not walk every facet combination
            if re.search(r"[?&]page=([3-9]|\d\d)", target):
                continue
            queue.append(target)
    return pages


def test_public_pages_have_no_inline_script_style_or_handlers(client, demo_data):
    """Crawl the demo site anonymously, as the CSP would judge it."""
    start = [
        "/",
        "/notices/",
        "/disclosures/",
        "/disclosures/compliance/",
        "/policies/",
        "/grids/",
        "/cases/search/",
        "/cases/search/?q=漏水",
        "/search/?q=通知",
        "/api/docs/",
        "/this-page-does-not-exist/",
    ]
    pages = crawl(client, start)
    assert len(pages) >= 5, sorted(pages)
    failures = {url: problems for url, (_r, problems) in pages.items() if problems}
    assert not failures, failures
    for url, (response, _problems) in pages.items():
        assert "Content-Security-Policy" in response, url
