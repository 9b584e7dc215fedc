# ruff: noqa: F811 -- pytest fixtures imported from tests/api/conftest.py are used as parameters
"""Hostile parameters, XML 1.0 safety, JSON/XML error bodies, 503 on a database
outage, GET logout and API-token last-use writes (issue 10)."""

import datetime
import json
from xml.etree import ElementTree

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from portal.api import tokens
from portal.security.params import InvalidParameter, parse_int
from portal.security.xmltext import xml_safe
from tests.api.conftest import (  # noqa: F401
    api,
    at,
    cases,
    categories,
    make_case,
    staff,
    staff_group,
    token_for,
    tree,
)

pytestmark = pytest.mark.django_db

# --- the strict integer parser -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "٣",
        "１２",
        "1_000",
        "1e3",
        "+1",
        " ",
        "0x10",
        "9" * 19,
        "99999999999999999999",
        "a\x00",
    ],
)
def test_parse_int_refuses_everything_but_ascii_digits(value):
    if value.strip() == "":
        assert parse_int(value, "n", default=7) == 7
        return
    with pytest.raises(InvalidParameter) as caught:
        parse_int(value, "n")
    assert "参数 n" in caught.value.message


def test_parse_int_bounds():
    assert parse_int(" 42 ", "n") == 42
    with pytest.raises(InvalidParameter, match="不能小于 1"):
        parse_int("0", "n", minimum=1)
    with pytest.raises(InvalidParameter, match="不能大于 10"):
        parse_int("11", "n", maximum=10)


# --- hostile parameters on the public URLs (table-driven) ---------------------------------

HOSTILE = [
    ("/api/registers/grids/", "village=%C2%B2", 400, "village"),
    ("/api/registers/grids/", "town=%C2%B2", 400, "town"),
    ("/api/registers/grids/", "village=%D9%A3", 400, "village"),
    ("/api/registers/case-stats/", "village=99999999999999999999", 400, "village"),
    ("/api/registers/case-stats/monthly/", "months=%C2%B2", 400, "months"),
    ("/api/registers/disclosure-compliance/", "period=0000", 400, "period"),
    ("/api/registers/disclosure-compliance/", "period=%D9%A2%D9%A0%D9%A2%D9%A5", 400, "period"),
    ("/api/registers/disclosure-compliance/", "page=9223372036854775807", 400, "page"),
    ("/open311/v2/requests.json", "page=9223372036854775807", 400, "page"),
    ("/open311/v2/requests.xml", "page=9223372036854775807", 400, "page"),
    ("/open311/v2/requests.json", "page_size=%C2%B2", 400, "page_size"),
    ("/api/v2/pages/", "offset=99999999999999999999", 400, "offset"),
    ("/api/v2/images/", "offset=99999999999999999999", 400, "offset"),
    ("/api/v2/documents/", "offset=99999999999999999999", 400, "offset"),
    ("/api/v2/pages/", "limit=%C2%B2", 400, "limit"),
    ("/api/v2/pages/", "child_of=99999999999999999999", 400, "child_of"),
    ("/api/v2/pages/", "id=%C2%B2", 400, "id"),
    ("/disclosures/", "year=%C2%B2", None, None),
    ("/notices/", "year=%C2%B2", None, None),
]


@pytest.mark.parametrize(("path", "query", "status", "name"), HOSTILE)
def test_hostile_parameter_is_refused_in_chinese(client, tree, cases, path, query, status, name):
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500
    if status is None:  # HTML pages: no page tree in this fixture → 404, never 500
        return
    assert response.status_code == status
    body = response.content.decode()
    assert name in body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body), body  # a Chinese message
    if path.endswith(".xml"):
        ElementTree.fromstring(response.content)
    else:
        json.loads(body)


def test_valid_values_still_work(client, tree, cases):
    assert client.get(f"/api/registers/grids/?village={tree.donghu.pk}").status_code == 200
    assert client.get("/api/registers/disclosure-compliance/?period=2025Q1").status_code == 200
    assert client.get("/open311/v2/requests.json?page=2").status_code == 200
    assert client.get("/api/v2/pages/?offset=0&limit=5").status_code == 200


# --- XML 1.0 -----------------------------------------------------------------------------


def test_xml_safe_removes_forbidden_characters():
    assert xml_safe("a\x00b\x0bc\x1f\ufffe\ud800d\te\nf") == "abcd\te\nf"
    assert xml_safe("中文 ✓ \U0001f600") == "中文 ✓ \U0001f600"


def test_open311_xml_is_well_formed_with_nul_and_vertical_tab(client, cases):
    from django.db import connection

    # PostgreSQL cannot store NUL at all; SQLite can, so there the data holds one too.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    cases.public_open.public_summary = f"楼道\x0b杂物{nul}已清理\x1f"
    cases.public_open.save(update_fields=["public_summary"])
    response = client.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    descriptions = [el.text for el in root.iter("description")]
    assert "楼道杂物已清理" in descriptions
    # The NUL of a hostile parameter is not echoed into the error document.
    response = client.get("/open311/v2/requests.xml?status=a%00b%0B")
    assert response.status_code == 400
    assert b"\x00" not in response.content and b"\x0b" not in response.content
    error = ElementTree.fromstring(response.content)
    assert "status" in error.find("error/description").text


def test_sitemap_is_well_formed_when_a_page_holds_forbidden_characters(client, db):
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    home = root.add_child(instance=Page(title="首页\x0b", slug="home-x"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    home.add_child(instance=Page(title="通知\x1f公告", slug="tongzhi"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ElementTree.fromstring(response.content)


# --- error bodies by path ------------------------------------------------------------------


@pytest.fixture
def crashing(monkeypatch):
    """Make the public register views raise an unexpected error (a programming bug)."""
    from portal.api.open311 import views as open311_views
    from portal.api.registers import regions

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(regions.RegionListView, "get", boom)
    monkeypatch.setattr(open311_views.ServiceListView, "get", boom)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/registers/regions/", "json"),
        ("/open311/v2/services.json", "open311-json"),
        ("/open311/v2/services.xml", "xml"),
    ],
)
def test_a_500_on_an_api_path_is_json_or_xml(crashing, tree, path, kind):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 500
    if kind == "xml":
        assert response["Content-Type"].startswith("text/xml")
        root = ElementTree.fromstring(response.content)
        assert root.find("error/code").text == "500"
    else:
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(response.content)
        message = data["detail"] if kind == "json" else data[0]["description"]
        assert "服务器内部错误" in message


def test_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert json.loads(response.content)["detail"]


@pytest.fixture
def database_down(tmp_path, transactional_db):
    """Replace the default connection by one to a database that cannot be opened.

    The real failure path: the driver raises when it tries to connect, Django
    wraps it as ``django.db.OperationalError``. SQLite: a file in a directory
    that does not exist; PostgreSQL: a port nobody listens on.
    """
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "missing" / "portal.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    broken = original.__class__(settings_dict, "default")
    with pytest.raises(OperationalError):
        broken.ensure_connection()
    connections["default"] = broken
    yield
    connections["default"] = original
    broken.close()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/registers/regions/", "application/json"),
        ("/open311/v2/requests.json", "application/json"),
        ("/open311/v2/requests.xml", "text/xml"),
        ("/notices/", "text/html"),
    ],
)
def test_database_outage_is_a_503_with_retry_after(database_down, path, content_type):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith(content_type)
    body = response.content.decode()
    assert "暂时不可用" in body
    if content_type == "text/xml":
        ElementTree.fromstring(response.content)
    elif content_type == "application/json":
        json.loads(body)


# --- logout -----------------------------------------------------------------------------


def test_get_logout_keeps_the_session_and_post_logs_out(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(user)
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert "sessionid" not in response.cookies or response.cookies["sessionid"].value
    assert client.get("/admin/").status_code == 200  # still logged in
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302  # now sent to the login page


# --- API token last use -----------------------------------------------------------------


def test_last_used_at_is_written_at_most_once_a_minute(api, staff, token_for):
    raw = token_for(staff.donghu)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/staff/me/").status_code == 200
    token = APIToken.objects.get(user=staff.donghu)
    first = token.last_used_at
    assert first is not None
    for _ in range(3):
        assert api.get("/api/staff/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten within the minute
    # A minute later the next request records the use again.
    APIToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=61))
    assert api.get("/api/staff/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(seconds=1)


def test_conditional_write_happens_once_for_two_stale_copies(staff, token_for):
    token_for(staff.donghu)
    token = APIToken.objects.get(user=staff.donghu)
    copy = APIToken.objects.get(pk=token.pk)  # a second request holding the same stale row
    now = timezone.now()
    assert tokens.touch_last_used(token, now) is True
    assert tokens.touch_last_used(copy, now) is False


def test_a_read_succeeds_when_the_last_used_write_fails(api, staff, token_for, monkeypatch):
    raw = token_for(staff.donghu)
    original_update = type(APIToken.objects.all()).update

    def locked(self, **kwargs):
        if "last_used_at" in kwargs:
            raise OperationalError("database is locked")
        return original_update(self, **kwargs)

    monkeypatch.setattr(type(APIToken.objects.all()), "update", locked)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.get("/api/staff/me/")
    assert response.status_code == 200
    assert APIToken.objects.get(user=staff.donghu).last_used_at is None
