"""``PageCacheMiddleware``: serve and store anonymous public responses (rules in __init__)."""

import logging
import time
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from .keys import (
    current_generation,
    headers_key,
    page_cache,
    request_url,
    response_key,
    vary_headers,
)

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
CSRF_MARKER = b"csrfmiddlewaretoken"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")
# Request cookies that may mean "signed in" (or a pending flash message).
DEFAULT_BYPASS_COOKIES = ("messages",)


def bypass_cookies():
    return {
        settings.SESSION_COOKIE_NAME,
        *DEFAULT_BYPASS_COOKIES,
        *getattr(settings, "PAGE_CACHE_BYPASS_COOKIES", ()),
    }


def cacheable_view(request):
    """True when the URL resolves to a view listed in ``PAGE_CACHE_VIEWS``."""
    return view_name(request.path_info, getattr(request, "urlconf", None)) in (
        settings.PAGE_CACHE_VIEWS
    )


@lru_cache(maxsize=4096)
def view_name(path, urlconf):
    """The view name a path resolves to ('' for none), remembered per path.

    Resolving walks every URL pattern up to Wagtail's catch-all; a cache hit
    should not pay that on every request. The URLconf does not change while a
    process runs (tests that swap it pass their own ``urlconf``, part of the key).
    """
    try:
        return resolve(path, urlconf).view_name
    except Resolver404:
        return ""


def may_use_cache(request):
    """Anonymous GET/HEAD of a cacheable view; anything that may be signed in bypasses."""
    if not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if bypass_cookies() & request.COOKIES.keys():
        return False
    return cacheable_view(request)


def refusal(request, response):
    """Why ``response`` must not be stored, or '' when it may be."""
    if request.method != "GET":
        return "method"
    if response.status_code != 200:
        return "status"
    if response.streaming:
        return "streaming"
    if response.cookies:
        return "set-cookie"
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return "csrf"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "user"
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return "cache-control"
    if CSRF_MARKER in response.content:
        return "csrf"
    return ""


def timeout():
    return int(getattr(settings, "PAGE_CACHE_TIMEOUT", 600))


class PageCacheMiddleware:
    """Place after rate limiting and before the session middleware.

    A hit skips everything below it (sessions, CSRF, auth, the view); the
    middleware above it (security headers, rate limits) runs for hits too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            response = self.get_response(request)
            response.headers.setdefault(STATUS_HEADER, "bypass")
            return response
        try:
            return self._cached(request)
        except CacheUnavailable:
            response = self.get_response(request)
            response[STATUS_HEADER] = "error"
            return response

    def _cached(self, request):
        cache = page_cache()
        url = request_url(request)
        try:
            generation = current_generation(cache)
            headers = cache.get(headers_key(url))
            key = response_key(request, url, generation, headers) if headers is not None else None
            stored = cache.get(key) if key else None
        except Exception as error:  # Redis down: serve uncached rather than fail
            logger.warning("页面缓存不可用：%s", error)
            raise CacheUnavailable from error
        if stored is not None:
            return self._rebuild(stored)

        response = self.get_response(request)
        reason = refusal(request, response)
        headers = vary_headers(response) if not reason else None
        if reason or headers is None:
            response[STATUS_HEADER] = f"skip; {reason or 'vary'}"
            return response
        try:
            cache.set(headers_key(url), headers, timeout())
            cache.set(
                response_key(request, url, generation, headers),
                (response.content, list(response.items()), time.time()),
                timeout(),
            )
        except Exception as error:
            logger.warning("页面缓存写入失败：%s", error)
        response[STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def _rebuild(stored):
        content, headers, stored_at = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["Age"] = str(max(0, int(time.time() - stored_at)))
        response[STATUS_HEADER] = "hit"
        return response


class CacheUnavailable(Exception):
    pass
