"""What the page cache stores and whom it serves (rules in portal/pagecache/__init__.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import get_token
from django.test import Client

from .conftest import cache_state

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_hit_with_the_same_body(client, make_notice):
    make_notice(title="停水通知")
    first = client.get("/notices/")
    second = client.get("/notices/")
    assert cache_state(first) == "miss"
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert "停水通知" in second.content.decode()
    # Headers added outside the cache (security headers) are on hits too.
    assert "Content-Security-Policy" in second
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_runs_no_query(client, make_notice, django_assert_num_queries):
    make_notice()
    client.get("/notices/")
    with django_assert_num_queries(0):
        assert cache_state(client.get("/notices/")) == "hit"


def test_query_strings_are_separate_keys(client, make_notice):
    make_notice(title="紧急停电通知", category="urgent")
    make_notice(title="普通会议通知", category="notice")
    client.get("/notices/")
    urgent = client.get("/notices/?category=urgent")
    assert cache_state(urgent) == "miss"
    body = urgent.content.decode()
    assert "紧急停电通知" in body and "普通会议通知" not in body
    assert cache_state(client.get("/notices/?category=urgent")) == "hit"
    everything = client.get("/notices/").content.decode()
    assert "普通会议通知" in everything


def test_signed_in_users_never_get_or_fill_a_cached_page(client, make_notice):
    make_notice(title="公开通知")
    anonymous = client.get("/notices/")
    assert cache_state(client.get("/notices/")) == "hit"
    user = get_user_model().objects.create_user("editor1", password="pw-editor1", is_staff=True)
    staff = Client()
    staff.force_login(user)
    for _ in range(2):
        response = staff.get("/notices/")
        assert cache_state(response) == "bypass"
    # And what the signed-in user saw was not stored for others.
    assert client.get("/notices/").content == anonymous.content


def test_any_session_cookie_bypasses_even_an_anonymous_one(client, make_notice):
    make_notice()
    client.get("/notices/")
    client.cookies["sessionid"] = "not-a-real-session"
    assert cache_state(client.get("/notices/")) == "bypass"
    del client.cookies["sessionid"]
    client.cookies["messages"] = "x"
    assert cache_state(client.get("/notices/")) == "bypass"


def test_authorization_header_bypasses(client, make_notice):
    make_notice()
    client.get("/notices/")
    response = client.get("/notices/", HTTP_AUTHORIZATION="Token abc")
    assert cache_state(response) == "bypass"


def test_post_is_never_served_from_cache(client, make_notice):
    make_notice()
    client.get("/notices/")
    response = client.post("/notices/")
    assert cache_state(response) == "bypass"


def test_head_is_served_from_a_stored_get(client, make_notice):
    make_notice()
    client.get("/notices/")
    assert cache_state(client.head("/notices/")) == "hit"


def test_not_found_is_not_stored(client, site_home):
    for _ in range(2):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert cache_state(response) == "skip; status"


def test_admin_is_never_cached(client, site_home):
    response = client.get("/admin/login/")
    assert cache_state(response) == "bypass"


def test_responses_with_a_csrf_token_or_a_cookie_are_not_stored(rf, settings):
    """A view that renders a form token or sets a cookie is passed through, never stored."""
    from django.http import HttpResponse

    from portal.pagecache.middleware import PageCacheMiddleware
    from portal.pagecache.middleware import refusal as why_not

    def form_view(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    def cookie_view(request):
        response = HttpResponse("hello")
        response.set_cookie("tracker", "1")
        return response

    request = rf.get("/")
    assert why_not(request, form_view(request)) == "csrf"
    request = rf.get("/")
    assert why_not(request, cookie_view(request)) == "set-cookie"
    # A body with the marker but no get_token call (e.g. a hand-written form) too.
    request = rf.get("/")
    body = HttpResponse('<input type="hidden" name="csrfmiddlewaretoken" value="abc">')
    assert why_not(request, body) == "csrf"
    # through the middleware: the wrapped view runs every time, nothing is stored
    calls = []

    def counting(request):
        calls.append(1)
        return form_view(request)

    settings.PAGE_CACHE_VIEWS = {"wagtail_serve"}
    middleware = PageCacheMiddleware(counting)
    for _ in range(2):
        response = middleware(rf.get("/"))
        assert response["X-Page-Cache"] == "skip; csrf"
    assert len(calls) == 2


def test_never_cache_views_opt_out(rf, settings):
    from django.http import HttpResponse
    from django.views.decorators.cache import never_cache

    from portal.pagecache.middleware import PageCacheMiddleware

    settings.PAGE_CACHE_VIEWS = {"wagtail_serve"}
    middleware = PageCacheMiddleware(never_cache(lambda request: HttpResponse("private")))
    for _ in range(2):
        assert middleware(rf.get("/")).headers["X-Page-Cache"] == "skip; cache-control"


def test_vary_headers_other_than_cookie_split_the_key(rf, settings):
    from django.http import HttpResponse
    from django.utils.cache import patch_vary_headers

    from portal.pagecache.middleware import PageCacheMiddleware

    def view(request):
        response = HttpResponse(request.META.get("HTTP_ACCEPT", ""))
        patch_vary_headers(response, ("Accept", "Cookie"))
        return response

    settings.PAGE_CACHE_VIEWS = {"wagtail_serve"}
    middleware = PageCacheMiddleware(view)
    json1 = middleware(rf.get("/", HTTP_ACCEPT="application/json"))
    xml1 = middleware(rf.get("/", HTTP_ACCEPT="application/xml"))
    json2 = middleware(rf.get("/", HTTP_ACCEPT="application/json"))
    xml2 = middleware(rf.get("/", HTTP_ACCEPT="application/xml"))
    assert json1["X-Page-Cache"] == "miss" and xml1["X-Page-Cache"] == "miss"
    assert json2["X-Page-Cache"] == "hit" and xml2["X-Page-Cache"] == "hit"
    assert json2.content == b"application/json" and xml2.content == b"application/xml"


def test_cached_page_carries_no_user_data_after_a_signed_in_visit(client, make_notice):
    """A signed-in render first must not become the anonymous copy."""
    make_notice()
    user = get_user_model().objects.create_superuser("boss", "b@example.org", "pw-boss")
    staff = Client()
    staff.force_login(user)
    staff.get("/notices/")
    anonymous = client.get("/notices/")
    assert cache_state(anonymous) == "miss"
    body = anonymous.content.decode()
    assert "boss" not in body and "csrfmiddlewaretoken" not in body
    assert not anonymous.cookies


def test_open311_and_registers_are_cached(client, site_home):
    for url in ("/open311/v2/services.json", "/api/registers/regions/"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert cache_state(client.get(url)) == "hit", url


def test_disabled_by_setting(client, make_notice, settings):
    settings.PAGE_CACHE_ENABLED = False
    make_notice()
    client.get("/notices/")
    assert cache_state(client.get("/notices/")) == "bypass"


def test_cache_outage_serves_uncached(client, make_notice, monkeypatch):
    from portal.pagecache import middleware

    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis down")

        add = set = get

    monkeypatch.setattr(middleware, "page_cache", lambda: Broken())
    make_notice(title="断网也能看")
    response = client.get("/notices/")
    assert response.status_code == 200 and "断网也能看" in response.content.decode()
    assert cache_state(response) == "error"
