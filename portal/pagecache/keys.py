"""The pages cache, its generation token and the key of a stored response."""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache"


def page_cache():
    """``CACHES["pages"]`` when configured, else the default cache."""
    try:
        return caches[getattr(settings, "PAGE_CACHE_ALIAS", "pages")]
    except InvalidCacheBackendError:
        return caches["default"]


def _new_token():
    return secrets.token_hex(8)


def current_generation(cache=None):
    """The live generation token; a missing one (evicted, cleared) starts a new one."""
    cache = cache or page_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), None)
        token = cache.get(GENERATION_KEY)
    return token


def _replace_generation():
    try:
        page_cache().set(GENERATION_KEY, _new_token(), None)
    except Exception:  # a cache outage must never fail a publish or an import
        logger.exception("页面缓存失效失败")


def invalidate(reason=""):
    """Make every cached page unreachable (one cache write).

    Called by the signal handlers and by bulk writers that bypass signals
    (``imports``: after a confirmed import of regions, grids, grid staff,
    catalog items, categories or cases; any ``QuerySet.update`` of such rows).

    It runs at once and again when the current transaction commits: the second
    write closes the window in which a request could read the old rows after the
    first bump and store them under the new generation.
    """
    if reason:
        logger.debug("页面缓存失效：%s", reason)
    _replace_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace_generation)


def request_url(request):
    """Scheme, host and full path with the raw query string (each query its own key)."""
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def vary_value(request, header):
    """What a request contributes to the key for one ``Vary`` header."""
    name = header.strip().lower()
    if name == "accept-language":
        return translation.get_language_from_request(request)
    meta = "HTTP_" + name.upper().replace("-", "_")
    return request.META.get(meta, "")


def vary_headers(response):
    """The response's ``Vary`` headers that enter the key, or None for ``Vary: *``."""
    headers = []
    for header in cc_delim_re.split(response.get("Vary", "")):
        name = header.strip().lower()
        if not name or name == "cookie":
            continue
        if name == "*":
            return None
        headers.append(name)
    return sorted(set(headers))


def headers_key(url):
    return f"{KEY_PREFIX}:vary:{hashlib.md5(url.encode()).hexdigest()}"


def response_key(request, url, generation, headers):
    """The key of one stored response: generation, local date, URL and varied values."""
    parts = [generation, timezone.localdate().isoformat(), url]
    parts += [f"{h}={vary_value(request, h)}" for h in headers]
    parts += [f"{c}={request.COOKIES.get(c, '')}" for c in key_cookies()]
    digest = hashlib.md5("\n".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:page:{digest}"


def key_cookies():
    """Cookies a public page may legitimately depend on (e.g. a text-size choice)."""
    return tuple(getattr(settings, "PAGE_CACHE_KEY_COOKIES", ()))
