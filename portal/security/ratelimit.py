"""Rate limits for the public search, the APIs and the login form.

A fixed-window counter per (bucket, client address) kept in an atomic counter
store shared by every worker (``portal.security.counters``): Redis when
``REDIS_URL`` is set, the database otherwise — never a per-process or file
cache, whose increments are not atomic across gunicorn workers.

Why our own middleware and not a library (issue 11 asks):

* DRF throttles count with ``cache.get`` / ``cache.set`` of a list of
  timestamps — not atomic even on Redis, the very race this module fixes — and
  they cover DRF views only, not Wagtail's login form, the search page or the
  Open311 views.
* django-ratelimit is atomic on Redis (``add`` + ``incr``) but has no database
  store for a deployment without Redis, and it is a decorator per view: the
  limits would have to be put on Wagtail's own views, which we do not own.
* A path-prefix middleware covers every entry point (HTML, JSON, XML) in one
  place, answers in each one's format, and is about a hundred lines on top of
  the shared counter store the login lockout uses too.

Settings:

* ``RATE_LIMITS`` — ``{"search": "60/m", "api": "300/m", "login": "10/m"}``;
  a rate is ``N/<period>`` with the period ``s``, ``m``, ``h``, ``d`` optionally
  prefixed by a count (``"5/15m"``). A bucket missing or ``None`` is unlimited.
* ``RATE_LIMIT_RULES`` — ordered ``(bucket, path prefixes, methods or None)``;
  the first rule whose prefix matches decides the bucket.
* ``RATE_LIMIT_STORE`` — ``"redis"`` (``RATE_LIMIT_REDIS_URL``, default
  ``REDIS_URL``) or ``"database"``; see ``portal.security.counters``. When the
  store fails (Redis down, database busy) the request is let through and the
  failure logged: a limiter must not turn an outage into 500s.
* ``RATE_LIMIT_CLIENT_IP_HEADER`` — e.g. ``"HTTP_X_FORWARDED_FOR"`` behind a
  reverse proxy you control; the right-most address (the one your proxy added)
  is used. Unset: ``REMOTE_ADDR``.
"""

import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .counters import get_counter_store

logger = logging.getLogger(__name__)

DEFAULT_RATE_LIMITS = {"search": "60/m", "api": "300/m", "login": "10/m"}

DEFAULT_RULES = [
    ("search", ("/cases/search/", "/api/cases/search/", "/search/"), None),
    ("login", ("/admin/login/",), ("POST",)),
    ("api", ("/api/", "/open311/"), None),
]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def parse_rate(text):
    """``"60/m"`` → Rate(60, 60); ``"5/15m"`` → Rate(5, 900). ``None`` → None."""
    if text is None:
        return None
    match = _RATE_RE.match(str(text))
    if not match:
        raise ValueError(f"无法识别的限流设置“{text}”，应写成“次数/时间单位”，如 60/m")
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * _UNITS[unit])


def bucket_for(path, method):
    rules = getattr(settings, "RATE_LIMIT_RULES", DEFAULT_RULES)
    for bucket, prefixes, methods in rules:
        if path.startswith(tuple(prefixes)) and (methods is None or method in methods):
            return bucket
    return None


def rate_for(bucket):
    limits = getattr(settings, "RATE_LIMITS", DEFAULT_RATE_LIMITS)
    return parse_rate(limits.get(bucket))


def client_address(request):
    header = getattr(settings, "RATE_LIMIT_CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _now():
    return time.time()


def hit(bucket, client, rate, now=None):
    """Count one request; return seconds to wait if over the limit, else 0."""
    now = _now() if now is None else now
    window = int(now // rate.period)
    key = f"ratelimit:{bucket}:{client}:{window}"
    # The counter lives until a second after its window ends.
    ttl = (window + 1) * rate.period - now + 1
    count = get_counter_store().incr(key, ttl, now=now)
    if count <= rate.limit:
        return 0
    return max(1, math.ceil((window + 1) * rate.period - now))


def too_many_requests(request, retry_after):
    message = f"请求过于频繁，请在 {retry_after} 秒后再试。"
    path = request.path
    if path.startswith("/open311/"):
        if path.endswith(".xml"):
            body = (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                f"<errors><error><code>429</code><description>{message}</description>"
                "</error></errors>"
            )
            response = HttpResponse(body, status=429, content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse(
                [{"code": 429, "description": message}],
                status=429,
                safe=False,
                json_dumps_params={"ensure_ascii": False},
            )
    elif path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        html = render_to_string(
            "security/too_many_requests.html", {"message": message}, request=request
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bucket = bucket_for(request.path, request.method)
        if bucket is not None:
            rate = rate_for(bucket)
            if rate is not None:
                try:
                    wait = hit(bucket, client_address(request), rate)
                except Exception:  # noqa: BLE001 - fail open, see the module docstring
                    logger.exception("限流计数不可用，本次请求不限流（%s）", bucket)
                    wait = 0
                if wait:
                    return too_many_requests(request, wait)
        return self.get_response(request)
