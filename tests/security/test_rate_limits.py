"""Cache-based rate limits on search, the APIs and the login form."""

import json
from xml.etree import ElementTree

import pytest

from portal.security.ratelimit import Rate, bucket_for, hit, parse_rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "rate"),
    [("60/m", Rate(60, 60)), ("5/15m", Rate(5, 900)), ("1000/h", Rate(1000, 3600)), (None, None)],
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


def test_parse_rate_refuses_nonsense_in_chinese():
    with pytest.raises(ValueError, match="无法识别的限流设置"):
        parse_rate("fast")


@pytest.mark.parametrize(
    ("path", "method", "bucket"),
    [
        ("/cases/search/", "GET", "search"),
        ("/api/cases/search/", "GET", "search"),
        ("/search/", "GET", "search"),
        ("/api/registers/grids/", "GET", "api"),
        ("/open311/v2/requests.json", "GET", "api"),
        ("/admin/login/", "POST", "login"),
        ("/admin/login/", "GET", None),
        ("/notices/", "GET", None),
        ("/static/css/site.css", "GET", None),
    ],
)
def test_bucket_for(path, method, bucket):
    assert bucket_for(path, method) == bucket


def test_fixed_window_counts_and_resets(limits):
    rate = Rate(2, 60)
    assert hit("t", "1.2.3.4", rate, now=120.0) == 0
    assert hit("t", "1.2.3.4", rate, now=130.0) == 0
    assert hit("t", "1.2.3.4", rate, now=150.5) == 30  # seconds to the next window
    assert hit("t", "5.6.7.8", rate, now=150.5) == 0  # another client
    assert hit("t", "1.2.3.4", rate, now=180.0) == 0  # new window


def test_search_is_limited_with_chinese_message_and_retry_after(client, limits):
    for _ in range(3):
        assert client.get("/search/?q=物业费").status_code != 429
    response = client.get("/search/?q=物业费")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "请求过于频繁" in response.content.decode()
    # the case search JSON shares the search bucket
    response = client.get("/api/cases/search/?q=漏水")
    assert response.status_code == 429
    assert "请求过于频繁" in json.loads(response.content)["detail"]
    # another address is not affected
    assert client.get("/search/?q=物业费", REMOTE_ADDR="10.0.0.2").status_code != 429


def test_api_and_open311_limits_answer_in_their_formats(client, limits):
    for _ in range(4):
        assert client.get("/api/registers/regions/").status_code == 200
    response = client.get("/api/registers/regions/")
    assert response.status_code == 429
    assert "请求过于频繁" in json.loads(response.content)["detail"]
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 429
    assert json.loads(response.content)[0]["code"] == 429
    response = client.get("/open311/v2/services.xml")
    assert ElementTree.fromstring(response.content).findtext("error/code") == "429"
    assert response["Retry-After"]
    # pages are not rate limited
    assert client.get("/").status_code != 429


def test_login_posts_are_limited_but_the_form_still_shows(client, limits):
    for _ in range(2):
        assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    assert client.get("/admin/login/").status_code == 200


def test_limits_can_be_switched_off(client, limits, settings):
    settings.RATE_LIMITS = {"search": None, "api": None, "login": None}
    for _ in range(10):
        assert client.get("/api/registers/regions/").status_code == 200


def test_proxy_header_is_used_only_when_configured(client, limits, settings):
    for _ in range(4):
        client.get("/api/registers/regions/", HTTP_X_FORWARDED_FOR="9.9.9.9")
    # without the setting every request comes from REMOTE_ADDR 127.0.0.1: limited
    assert client.get("/api/registers/regions/").status_code == 429
    settings.RATE_LIMIT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # the right-most address is the one our own proxy appended
    ok = client.get("/api/registers/regions/", HTTP_X_FORWARDED_FOR="1.1.1.1, 8.8.8.8")
    assert ok.status_code == 200


# --- the counter stores: atomic across workers ---------------------------------------

PARALLEL = 20


def _parallel_hits(rate, client_ip):
    """``PARALLEL`` threads (each its own database connection) hit one limit at once."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(PARALLEL)
    waits = []

    def one():
        try:
            barrier.wait()
            waits.append(hit("burst", client_ip, rate))
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            waits.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return waits


def _redis_or_skip(settings):
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis 127.0.0.1:6379 is not reachable")
    settings.RATE_LIMIT_STORE = "redis"
    settings.RATE_LIMIT_REDIS_URL = url
    settings.RATE_LIMIT_REDIS_PREFIX = f"test:{uuid.uuid4().hex}:"  # a clean namespace per test


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_pass_a_5_per_minute_limit_exactly_5_times_database(settings):
    from django.db import connection

    if connection.vendor == "sqlite":
        # The SQLite test database is in memory in shared-cache mode, where a
        # second writer gets "database table is locked" at once instead of
        # waiting: threads cannot model gunicorn workers there.
        pytest.skip("needs concurrent connections (PostgreSQL)")
    settings.RATE_LIMIT_STORE = "database"
    waits = _parallel_hits(Rate(5, 60), "10.0.0.1")
    assert [w for w in waits if not isinstance(w, int)] == []
    assert [w == 0 for w in waits].count(True) == 5
    from portal.security.models import Counter

    assert Counter.objects.get(key__startswith="ratelimit:burst:10.0.0.1:").count == PARALLEL


def test_parallel_requests_pass_a_5_per_minute_limit_exactly_5_times_redis(settings):
    _redis_or_skip(settings)
    waits = _parallel_hits(Rate(5, 60), "10.0.0.2")
    assert [w for w in waits if not isinstance(w, int)] == []
    assert [w == 0 for w in waits].count(True) == 5


@pytest.mark.parametrize("store", ["database", "redis"])
def test_the_stores_count_expire_and_lock(settings, store):
    from portal.security.counters import get_counter_store

    if store == "redis":
        _redis_or_skip(settings)
    else:
        settings.RATE_LIMIT_STORE = "database"
    counters = get_counter_store()
    now = 1_000_000.0
    assert [counters.incr("ratelimit:k", 60, now=now) for _ in range(3)] == [1, 2, 3]
    if store == "database":  # the database store reads the caller's clock for expiry
        assert counters.incr("ratelimit:k", 60, now=now + 61) == 1
    counters.set_until("lockout:lock:x", now + 30, now=now)
    assert counters.get_until("lockout:lock:x", now=now) == now + 30
    assert counters.get_until("lockout:lock:x", now=now + 31) is None
    counters.delete("lockout:lock:x")
    assert counters.get_until("lockout:lock:x", now=now) is None
    # A key built from a hostile header stays bounded.
    assert counters.incr("ratelimit:" + "x" * 10_000, 60, now=now) == 1


def test_the_limiter_lets_requests_through_when_the_store_fails(client, limits, settings, caplog):
    settings.RATE_LIMIT_STORE = "redis"
    settings.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens: refused
    response = client.get("/api/registers/grids/")
    assert response.status_code != 429 and response.status_code < 500
    assert "限流计数不可用" in caplog.text
