"""Template context every public page needs."""

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from portal.pagecache.keys import current_generation

# How many urgent notices the site-wide banner lists at most.
BANNER_LIMIT = 3

_banners = {}  # (generation token, local date, site root path) → [notice, …]


def site_name(request):
    """``site_name`` for base.html: the Wagtail site's name, else ``WAGTAIL_SITE_NAME``.

    ``Site.find_for_request`` caches the site on the request, so page views (which
    already looked it up to route) pay no extra query.
    """
    site = _site(request)
    name = site.site_name if site is not None else ""
    return {"site_name": name or getattr(settings, "WAGTAIL_SITE_NAME", "")}


def _site(request):
    try:
        return Site.find_for_request(request)
    except Exception:  # a broken site table must not take the error pages down with it
        return None


def urgent_notices(request):
    """``urgent_banner``: the urgent notices valid today, for the banner on every public page.

    Lazy (a callable the template calls only when base.html renders the banner,
    so admin screens never pay for it) and read once per change: the list is
    kept in process memory under the page cache's generation token and today's
    local date, so a publish, unpublish or edit (which replaces the token for
    every worker, see ``portal.pagecache``) shows on the next request, and a
    notice whose validity ended yesterday is gone on the first request of the
    new day. A request that is served from the page cache never gets here.
    """

    def banner():
        cached = getattr(request, "_urgent_banner", None)
        if cached is None:
            cached = request._urgent_banner = _banner_for(request)
        return cached

    return {"urgent_banner": banner}


def _banner_for(request):
    from portal.pages.models import NoticePage

    site = _site(request)
    root_path = site.root_page.path if site is not None else ""
    day = timezone.localdate()
    key = (current_generation(), day, root_path)
    notices = _banners.get(key)
    if notices is None:
        qs = NoticePage.objects.published()
        if root_path:
            qs = qs.filter(path__startswith=root_path)
        notices = list(qs.urgent_now(day).newest_first(day)[:BANNER_LIMIT])
        _banners.clear()  # only the live generation and day are worth keeping
        _banners[key] = notices
    return notices
