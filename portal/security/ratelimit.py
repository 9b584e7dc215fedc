"""Cache-based rate limits for the public search, the APIs and the login form.

A fixed-window counter per (bucket, client address) kept in a Django cache, so
it needs no extra server: the local-memory cache on one process, Redis (or the
file cache production.py sets up) when several workers share the limits.

Settings:

* ``RATE_LIMITS`` — ``{"search": "60/m", "api": "300/m", "login": "10/m"}``;
  a rate is ``N/<period>`` with the period ``s``, ``m``, ``h``, ``d`` optionally
  prefixed by a count (``"5/15m"``). A bucket missing or ``None`` is unlimited.
* ``RATE_LIMIT_RULES`` — ordered ``(bucket, path prefixes, methods or None)``;
  the first rule whose prefix matches decides the bucket.
* ``RATE_LIMIT_CACHE`` — the cache alias (default ``"default"``).
* ``RATE_LIMIT_CLIENT_IP_HEADER`` — e.g. ``"HTTP_X_FORWARDED_FOR"`` behind a
  reverse proxy you control; the right-most address (the one your proxy added)
  is used. Unset: ``REMOTE_ADDR``.
"""

import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

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
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    cache.add(key, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.period + 1)
        count = 1
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
                wait = hit(bucket, client_address(request), rate)
                if wait:
                    return too_many_requests(request, wait)
        return self.get_response(request)
