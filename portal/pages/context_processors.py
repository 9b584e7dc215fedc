"""Template context every public page needs."""

from django.conf import settings
from wagtail.models import Site


def site_name(request):
    """``site_name`` for base.html: the Wagtail site's name, else ``WAGTAIL_SITE_NAME``.

    ``Site.find_for_request`` caches the site on the request, so page views (which
    already looked it up to route) pay no extra query.
    """
    name = ""
    try:
        site = Site.find_for_request(request)
    except Exception:  # a broken site table must not take the error pages down with it
        site = None
    if site is not None:
        name = site.site_name
    return {"site_name": name or getattr(settings, "WAGTAIL_SITE_NAME", "")}
