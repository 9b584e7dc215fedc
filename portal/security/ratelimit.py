"""Every rate limit of the portal: one setting, one rate syntax, one counting helper.

Each limited thing is a named *bucket* in ``RATE_LIMITS``; a request (or a
failed look-up) counts one hit against a bucket for a key — the client address,
a phone number, an Open311 ``api_key`` — in a fixed-window counter kept in the
atomic counter store shared by every worker (``portal.security.counters``):
Redis when ``REDIS_URL`` is set, the database otherwise — never a per-process
or file cache, whose increments are not atomic across gunicorn workers.

The buckets (``DEFAULT_RATE_LIMITS``, the one table of defaults):

* ``search``, ``api``, ``login`` — per client address, by path prefix in
  ``RateLimitMiddleware`` (``RATE_LIMIT_RULES``); the field login counts
  against ``login`` too;
* ``open311_write`` — Open311 ``POST requests.json``, per ``api_key``;
* ``case_report_address`` / ``case_report_phone`` — every POST of the
  resident's report form per address, every new report per phone number;
* ``case_tracking_number`` / ``case_tracking_address`` — *failed* case
  look-ups per case number and per address; at the limit the number or the
  address is refused for a whole period (``count_hit(..., block=True)``);
* ``question_ip`` / ``question_phone`` — questions under a disclosure.

Why our own limiter and not a library (issue 11 asks):

* DRF throttles count with ``cache.get`` / ``cache.set`` of a list of
  timestamps — not atomic even on Redis, the very race this module fixes — and
  they cover DRF views only, not Wagtail's login form, the search page, the
  resident's report form or the disclosure questions.
* django-ratelimit is atomic on Redis (``add`` + ``incr``) but has no database
  store for a deployment without Redis, and it is a decorator per view: the
  limits would have to be put on Wagtail's own views, which we do not own. Nor
  does it block a key for a period after N *failures* (the case query code).
* A path-prefix middleware covers every entry point (HTML, JSON, XML) in one
  place and answers in each one's format; the views that count by something
  other than the address (a phone, an ``api_key``, a case number) call the same
  ``count_hit``. All of it is a couple of hundred lines on top of the shared
  counter store the login lockout uses too.

Settings:

* ``RATE_LIMITS`` — ``{bucket: rate}`` overriding ``DEFAULT_RATE_LIMITS``
  bucket by bucket (a bucket left out keeps its default); ``None`` is
  unlimited. A rate is ``N/<period>`` with the period ``s``, ``m``, ``h``,
  ``d`` optionally prefixed by a count (``"5/15m"``): ``parse_rate``. A rate
  that does not parse, or a bucket no one counts, is reported by the system
  check (``manage.py check``, ``migrate``, ``runserver``) and a bad rate stops
  the WSGI application from loading — never a 500 at request time.
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
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .counters import get_counter_store

logger = logging.getLogger(__name__)

DEFAULT_RATE_LIMITS = {
    # per client address, by path (RATE_LIMIT_RULES)
    "search": "60/m",
    "api": "300/m",
    "login": "10/m",
    # Open311 POST requests.json, per api_key
    "open311_write": "30/m",
    # the resident's report form: every POST per address, every new report per phone
    "case_report_address": "20/h",
    "case_report_phone": "5/d",
    # failed case look-ups (number + query code): per case number, per address
    "case_tracking_number": "5/15m",
    "case_tracking_address": "20/h",
    # questions under a disclosure: per address, per phone
    "question_ip": "10/h",
    "question_phone": "5/d",
}

DEFAULT_RULES = [
    ("search", ("/cases/search/", "/api/cases/search/", "/search/"), None),
    ("login", ("/admin/login/",), ("POST",)),
    ("api", ("/api/", "/open311/"), None),
]

# Settings that were merged into RATE_LIMITS; the system check says so if one is still set.
RETIRED_SETTINGS = {
    "CASE_REPORT_LIMITS": ("case_report_address", "case_report_phone"),
    "CASE_TRACKING_LIMITS": ("case_tracking_number", "case_tracking_address"),
}

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
    if not match or (match.group(2) and int(match.group(2)) == 0):
        raise ValueError(f"无法识别的限流设置“{text}”，应写成“次数/时间单位”，如 60/m")
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * _UNITS[unit])


def bucket_for(path, method):
    rules = getattr(settings, "RATE_LIMIT_RULES", DEFAULT_RULES)
    for bucket, prefixes, methods in rules:
        if path.startswith(tuple(prefixes)) and (methods is None or method in methods):
            return bucket
    return None


def configured_limits():
    """``{bucket: rate text or None}``: ``DEFAULT_RATE_LIMITS`` with ``RATE_LIMITS`` over it."""
    return {**DEFAULT_RATE_LIMITS, **(getattr(settings, "RATE_LIMITS", None) or {})}


def rate_for(bucket):
    """The ``Rate`` of ``bucket``, or None when it is unlimited (or no bucket of ours)."""
    return parse_rate(configured_limits().get(bucket))


def client_address(request):
    header = getattr(settings, "RATE_LIMIT_CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _now():
    return time.time()


def _count(bucket, key, rate, now):
    """Add one to ``key``'s counter of the current window; ``(count, window end)``."""
    window = int(now // rate.period)
    end = (window + 1) * rate.period
    # The counter lives until a second after its window ends.
    count = get_counter_store().incr(f"ratelimit:{bucket}:{key}:{window}", end - now + 1, now=now)
    return count, end


def hit(bucket, client, rate, now=None):
    """Count one request at ``rate``; return seconds to wait if over the limit, else 0.

    The counting itself, with the rate given; callers use ``count_hit``, which
    looks the bucket's rate up and fails open.
    """
    now = _now() if now is None else now
    count, end = _count(bucket, client, rate, now)
    if count <= rate.limit:
        return 0
    return max(1, math.ceil(end - now))


def _block_key(bucket, key):
    return f"ratelimit:{bucket}:{key}:blocked"


def count_hit(bucket, key, *, block=False):
    """Count one hit against ``bucket`` for ``key``: 0 when allowed, else seconds to wait.

    The one call behind every limit (the middleware, the field login, Open311
    writes, the report form, case look-ups, disclosure questions). A bucket set
    to ``None`` counts nothing. When the counter store fails the hit is let
    through (0) and the failure logged.

    ``block``: at the limit-th hit of a window the key is refused for one whole
    period from now (read with ``blocked_for``) — for counting *failures*,
    where the hit that reaches the limit has already been answered. The return
    value is then the length of that block (0 below the limit).
    """
    rate = rate_for(bucket)
    if rate is None:
        return 0
    now = _now()
    try:
        if not block:
            return hit(bucket, key, rate, now=now)
        count, _end = _count(bucket, key, rate, now)
        if count < rate.limit:
            return 0
        get_counter_store().set_until(_block_key(bucket, key), now + rate.period, now=now)
        return rate.period
    except Exception:  # noqa: BLE001 - fail open, see the module docstring
        logger.exception("限流计数不可用，本次不限流（%s）", bucket)
        return 0


def blocked_for(bucket, key):
    """Seconds left of a block ``count_hit(bucket, key, block=True)`` set, else 0 (counts nothing)."""
    if rate_for(bucket) is None:
        return 0
    now = _now()
    try:
        until = get_counter_store().get_until(_block_key(bucket, key), now=now)
    except Exception:  # noqa: BLE001 - fail open, see the module docstring
        logger.exception("限流计数不可用，本次不限流（%s）", bucket)
        return 0
    return max(1, math.ceil(until - now)) if until else 0


# --- configuration check ---------------------------------------------------------------


def configuration_problems():
    """What is wrong with the rate-limit settings: ``[(level, id, message, hint)]``."""
    problems = []
    configured = getattr(settings, "RATE_LIMITS", None)
    if configured is not None and not isinstance(configured, dict):
        hint = '例如 RATE_LIMITS = {"search": "60/m"}'
        problems.append((checks.ERROR, "E001", "RATE_LIMITS 应是“限流桶: 频率”的字典", hint))
        return problems
    known = set(DEFAULT_RATE_LIMITS)
    known.update(rule[0] for rule in getattr(settings, "RATE_LIMIT_RULES", DEFAULT_RULES))
    for bucket, text in (configured or {}).items():
        try:
            parse_rate(text)
        except ValueError as error:
            hint = "频率写成“次数/时间单位”，单位为 s、m、h、d，如 60/m、5/15m；None（环境变量中写 off）表示不限"
            problems.append((checks.ERROR, "E002", f"RATE_LIMITS[{bucket!r}]：{error}", hint))
        if bucket not in known:
            hint = "可用的限流桶：" + "、".join(sorted(known))
            problems.append(
                (checks.WARNING, "W001", f"RATE_LIMITS 中的 {bucket!r} 不是任何限流桶", hint)
            )
    for name, buckets in RETIRED_SETTINGS.items():
        if hasattr(settings, name):
            hint = "改为在 RATE_LIMITS 中设置 " + "、".join(buckets)
            problems.append((checks.ERROR, "E003", f"{name} 已并入 RATE_LIMITS，不再生效", hint))
    return problems


def check_rate_limits(app_configs=None, **kwargs):
    """System check (registered by ``portal.security.apps``): the rate-limit settings."""
    make = {checks.ERROR: checks.Error, checks.WARNING: checks.Warning}
    return [
        make[level](message, hint=hint, id=f"portal_security.{code}")
        for level, code, message, hint in configuration_problems()
    ]


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
        # A bad RATE_LIMITS stops the application from loading (gunicorn runs no
        # system checks), with the check's message, instead of failing requests.
        for level, _code, message, hint in configuration_problems():
            if level >= checks.ERROR:
                raise ImproperlyConfigured(f"{message}（{hint}）")
        self.get_response = get_response

    def __call__(self, request):
        bucket = bucket_for(request.path, request.method)
        if bucket is not None:
            wait = count_hit(bucket, client_address(request))
            if wait:
                return too_many_requests(request, wait)
        return self.get_response(request)
