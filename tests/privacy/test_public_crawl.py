"""The privacy crawler: no public page or API response carries private data.

Loads the full demo site, then, as an anonymous visitor, follows every same-site
link reachable from the home page plus a list of known public endpoints (HTML,
JSON, XML and text responses; bounded to ``MAX_URLS``), and fails if any of these
from the database appears in any response:

- a volunteer's ID number (decrypted), phone or name,
- a case reporter's name or phone.

Names are matched as whole strings. The demo gives volunteers three-character
names from a pool of uncommon characters, so a match is a leak, not prose. A
reporter name that is also a grid staff member's name is skipped: staff names
are public by design, so that string legitimately appears.

To extend: add endpoints to ``KNOWN_ENDPOINTS`` (404 is tolerated for ones not
built yet) or a callable to ``DYNAMIC_ENDPOINTS``.
"""

import html
import json
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from portal.snippets.models import GridStaff, Volunteer
from portal.snippets.volunteering import full_id_number

MAX_URLS = 400
MAX_VARIANTS_PER_PATH = 6  # distinct query strings followed per path (pagination, filters)

KNOWN_ENDPOINTS = [
    "/",
    "/api/v2/pages/?fields=*&limit=100",
    "/api/v2/documents/",
    "/api/v2/images/",
    "/grids/",
    "/cases/search/",
    "/cases/search/?q=纠纷",
    "/api/cases/search/",
    "/api/cases/search/?q=纠纷",
    "/search/?q=志愿",
    "/sitemap.xml",
    "/robots.txt",
    "/disclosures/compliance/",
    "/notices/",
    "/disclosures/",
    "/policies/",
    "/api/registers/regions/",
    "/api/registers/grids/",
    "/api/schema/",
    # open interfaces (portal/api)
    "/api/docs/",
    "/api/registers/grids/?page_size=200",
    "/api/registers/case-stats/",
    "/api/registers/case-stats/monthly/?months=36",
    "/api/registers/disclosure-compliance/?page_size=500",
    "/open311/v2/discovery.json",
    "/open311/v2/services.json",
    "/open311/v2/services.xml",
    "/open311/v2/requests.json?page_size=100",
    "/open311/v2/requests.xml?page_size=100",
]

SKIP_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/api/staff/", "/imports/")
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/ld+json",
    "+json",
    "+xml",
)
SITE_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}

HREF_RE = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#][^"']*)["']""", re.I)
XML_LOC_RE = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
SEPARATED_DIGITS_RE = re.compile(r"(?<=\d)[\s\-‐－]+(?=\d)")


def _page_ids(client):
    response = client.get("/api/v2/pages/?limit=100&fields=-title")
    if response.status_code != 200:
        return []
    return [f"/api/v2/pages/{item['id']}/" for item in response.json().get("items", [])]


DYNAMIC_ENDPOINTS = [_page_ids]


def _digits(phone):
    return "".join(ch for ch in phone if ch.isdigit())


def _secrets():
    """{needle: description} of everything that must never be public."""
    public_names = set(GridStaff.objects.values_list("name", flat=True))
    needles = {}
    for volunteer in Volunteer.objects.all():
        needles[full_id_number(volunteer)] = f"志愿者#{volunteer.pk} 身份证号"
        needles[volunteer.name] = f"志愿者#{volunteer.pk} 姓名"
        if volunteer.phone and len(_digits(volunteer.phone)) >= 7:
            needles[_digits(volunteer.phone)] = f"志愿者#{volunteer.pk} 电话"
    try:
        from portal.cases.models import Case
    except ImportError:  # pragma: no cover - the case app is part of the project
        Case = None
    if Case is not None:
        for pk, name, phone in Case.objects.values_list("pk", "reporter_name", "reporter_phone"):
            if name and len(name) >= 2 and name not in public_names:
                needles[name] = f"案件#{pk} 反映人姓名"
            if phone and len(_digits(phone)) >= 7:
                needles[_digits(phone)] = f"案件#{pk} 反映人电话"
    return needles


def _body(response):
    """The decoded body, also for streaming responses (documents, exports); cached."""
    if not hasattr(response, "_crawl_body"):
        if response.streaming:
            # Consume it all: the test client closes the response when the iterator
            # is exhausted (closing it by hand would fire request_finished and
            # close the test's database connection).
            raw = b"".join(response.streaming_content)
        else:
            raw = response.content
        response._crawl_body = raw.decode(response.charset or "utf-8", errors="replace")
    return response._crawl_body


def _readable(response):
    """Response text with JSON unescaped and HTML entities decoded, digits un-separated."""
    body = _body(response)
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        try:
            body = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass
    body = html.unescape(body)
    return body + "\n" + SEPARATED_DIGITS_RE.sub("", body)


def _same_site(url, base):
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https", ""):
        return None
    if parts.hostname not in SITE_HOSTS and parts.hostname is not None:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return urldefrag(path + (f"?{parts.query}" if parts.query else ""))[0]


def _links(response, url):
    content_type = response.get("Content-Type", "")
    body = _body(response)
    found = []
    if "html" in content_type:
        found = HREF_RE.findall(body)
    elif "xml" in content_type:
        found = XML_LOC_RE.findall(body)
    elif "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and item.startswith(("/", "http://", "https://")):
                found.append(item)
    return [html.unescape(link) for link in found]


def crawl(client):
    queue = deque(KNOWN_ENDPOINTS)
    for make in DYNAMIC_ENDPOINTS:
        queue.extend(make(client))
    seen, variants, fetched = set(), {}, []
    while queue and len(fetched) < MAX_URLS:
        url = _same_site(queue.popleft(), "http://testserver/")
        if url is None or url in seen:
            continue
        path = url.split("?", 1)[0]
        if "?" in url:
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > MAX_VARIANTS_PER_PATH:
                continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(response["Location"])
            continue
        content_type = response.get("Content-Type", "")
        if not any(kind in content_type for kind in TEXT_TYPES):
            continue
        fetched.append((url, response))
        queue.extend(_links(response, f"http://testserver{url}"))
    return fetched


@pytest.fixture
def demo_site(demo_data):
    """The full demo, built once for the session (tests/conftest.py)."""


def test_no_private_data_on_public_urls(demo_site):
    client = Client()  # anonymous
    secrets = _secrets()
    assert len(secrets) >= 600  # the demo really has private data to protect
    fetched = crawl(client)
    assert len(fetched) >= 30, "the crawl reached too little of the site to mean anything"

    leaks = []
    server_errors = []
    for url, response in fetched:
        if response.status_code >= 500:
            server_errors.append(url)
        text = _readable(response)
        for needle, what in secrets.items():
            if needle in text:
                leaks.append(f"{url}: {what}")
    assert not server_errors, f"公开地址出现服务器错误：{server_errors}"
    assert not leaks, "公开页面或接口泄露了个人信息：\n" + "\n".join(sorted(set(leaks))[:50])


def test_crawler_catches_a_leak(db):
    """The checker itself works: a volunteer's phone on a public page is reported."""
    import io

    from demo import registers as demo

    demo.load(io.StringIO())  # the registers part of the demo is enough here
    volunteer = Volunteer.objects.order_by("pk").first()
    staff = GridStaff.objects.filter(grids__live=True).order_by("pk").first()
    # Simulate a bug: a volunteer's phone put on a grid's public board.
    staff.work_phone = volunteer.phone
    staff.save(update_fields=["work_phone"])
    other = Volunteer.objects.order_by("pk")[1]
    secrets = _secrets()
    grid = staff.grids.filter(live=True).first()
    response = Client().get(f"/grids/{grid.code}/")
    text = _readable(response)
    hits = [what for needle, what in secrets.items() if needle in text]
    assert f"志愿者#{volunteer.pk} 电话" in hits
    # ...and a volunteer's name, even HTML-escaped inside JSON.
    response = Client().get("/robots.txt")
    assert other.name not in _readable(response)
    fake = type(response)(json.dumps({"who": other.name}), content_type="application/json")
    assert other.name in _readable(fake)


# --- the admin's audit log, read by staff of other regions ----------------------------------

ADMIN_REPORTS = [
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/site-history/?action=wagtail.edit",
    "/admin/reports/site-history/results/?action=portal.view_id_number",
    "/admin/reports/site-history/?export=csv",
    "/admin/reports/site-history/?export=xlsx",
]


def _report_text(response):
    """A report body as text; XLSX exports are opened and their cells joined."""
    if "spreadsheetml" in response.get("Content-Type", ""):
        import io

        import openpyxl

        raw = b"".join(response.streaming_content) if response.streaming else response.content
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return _readable(response)


def test_admin_history_shows_no_other_regions_people(demo_site):
    """Demo staff of one village read the site history, its filters, its exports and
    other villages' volunteer histories: no other village's volunteer name, masked or
    full ID number appears (every volunteer was edited and had the full ID viewed)."""
    from django.contrib.auth import get_user_model
    from wagtail.log_actions import log

    from portal.snippets.admin_views import VIEW_ID_NUMBER_ACTION
    from portal.snippets.scope import region_ids_in_scope

    actor = get_user_model().objects.filter(is_superuser=True).first()
    volunteers = list(Volunteer.objects.select_related("grid"))
    for volunteer in volunteers:
        log(instance=volunteer, action="wagtail.edit", user=actor)
        log(instance=volunteer, action=VIEW_ID_NUMBER_ACTION, user=actor, data={"m": 1})
    failures = []
    for username in ("demo_village_staff", "demo_grid_worker"):
        user = get_user_model().objects.get(username=username)
        scope = region_ids_in_scope(user)
        outside = [v for v in volunteers if v.grid.region_id not in scope]
        inside = [v for v in volunteers if v.grid.region_id in scope]
        assert outside and inside
        needles = {}
        for volunteer in outside:
            needles[volunteer.name] = f"志愿者#{volunteer.pk} 姓名"
            needles[volunteer.id_number_masked] = f"志愿者#{volunteer.pk} 身份证号（掩码）"
            needles[full_id_number(volunteer)] = f"志愿者#{volunteer.pk} 身份证号"
        # A masked number (or name) shared with a volunteer the user may see proves nothing.
        for volunteer in inside:
            needles.pop(volunteer.name, None)
            needles.pop(volunteer.id_number_masked, None)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        urls = ADMIN_REPORTS + [
            f"/admin/snippets/snippets/volunteer/history/{volunteer.pk}/"
            for volunteer in outside[:5]
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (username, url)
            text = _report_text(response)
            failures += [f"{username} {url}: {what}" for n, what in needles.items() if n in text]
    assert not failures, "审计日志向其他辖区泄露了个人信息：\n" + "\n".join(failures[:50])
