"""Walk the Wagtail admin as one user: menus, listings, forms, reports, settings.

The walk starts at the dashboard and the sidebar's menu items (read from the
sidebar's JSON props, so every item a hook adds is found without a URL list),
then follows every admin link it meets. One screen per URL *shape* is opened
(ids become ``N``; the query string is ignored), so a list of 500 cases costs one
edit screen, not 500, while extra ``seeds`` (e.g. the edit form of each page
type) can be given explicitly. Only GET requests are made; links that would
download a file, log out or preview the public site are skipped.
"""

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

ADMIN = "/admin/"
SKIP = re.compile(
    r"""
    /logout/ | /login/ | /password_reset/ | /jsi18n/ | /preview/ | /view_draft/
  | /static/ | /media/ | export | download | /serve/ | \.(?:xlsx|xls|csv|pdf|zip|json)$
  | /bulk/ | /sitemap | /api/v\d | /autocomplete/ | /chooser/ | /choose | /usage/ | /_/
    """,
    re.VERBOSE | re.IGNORECASE,
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.json_blobs = []
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "script" and attrs.get("type") == "application/json":
            self._json = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.json_blobs.append(data)


def _urls_in_json(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                out.append(item)
            else:
                _urls_in_json(item, out)
    elif isinstance(value, list):
        for item in value:
            _urls_in_json(item, out)


def links_of(html, base):
    """Admin URLs linked from a page: anchors plus menu URLs in JSON props."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    urls = list(parser.hrefs)
    for blob in parser.json_blobs:
        try:
            _urls_in_json(json.loads(blob), urls)
        except ValueError:
            continue
    found = []
    for href in urls:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith(ADMIN):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(url):
            found.append(url)
    return found


# Screens that Wagtail renders from one generic template whatever the model:
# one of each kind is enough (the model's own add/edit/list/inspect screens
# are all kept, since their fields differ).
GENERIC_ACTIONS = re.compile(
    r"^(/admin/(?:snippets/[\w-]+/[\w-]+|[\w-]+(?:/[\w-]+)?))/(history|delete|usage|copy|move|"
    r"unpublish|revisions|workflow_history|lock|unlock|unschedule|privacy|copy_for_translation)"
    r"(/.*)?$"
)


def shape(url):
    """The URL with ids as N and without its query: one screen per shape."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    generic = GENERIC_ACTIONS.match(path)
    if generic:
        path = "/admin/*/" + generic.group(2) + (generic.group(3) or "")
    # Sorting, filtering and paging re-render the same screen: the query is ignored.
    return path


def sidebar_menu_urls(html):
    """URLs of the sidebar's menu items (Wagtail renders them as JSON props)."""
    return [u for u in links_of(html, ADMIN) if u != ADMIN]


def walk(client, seeds=(), max_screens=150):
    """Open every admin screen reachable from the dashboard; {url: (status, html or '')}."""
    screens = {}
    queue = deque([ADMIN, *seeds])
    seen_shapes = set()
    forced = set(seeds)
    while queue and len(screens) < max_screens:
        url = queue.popleft()
        key = shape(url)
        if url in screens or (key in seen_shapes and url not in forced):
            continue
        seen_shapes.add(key)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        html = response.content.decode("utf-8", "replace") if "html" in content_type else ""
        screens[url] = (response.status_code, html)
        if response.status_code == 200 and html:
            for link in links_of(html, url):
                if link not in screens and shape(link) not in seen_shapes:
                    queue.append(link)
    return screens
