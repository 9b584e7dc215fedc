"""Absolute URLs of the public site, built from the Wagtail ``Site``, never from the request.

The ``Host`` header is whatever the client sent: a URL built from it
(``request.build_absolute_uri``) lets anyone who can reach the server put their
own domain into robots.txt, the sitemap or an API answer that a cache or a
mini-program then serves to others. The Site's hostname and port (admin → 设置 →
站点) are what the town configured, so robots.txt, the Wagtail API's links and
Open311's discovery document use them. A request for an unknown host falls back
to the default site, as Wagtail's own page routing does.
"""

from wagtail.models import Site


def site_for(request=None):
    """The Wagtail Site serving ``request`` (the default site when none matches), or None."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site


def site_root_url(request=None):
    """``https://host[:port]`` of the site (no trailing slash), or "" when no Site exists."""
    site = site_for(request)
    return site.root_url if site is not None else ""


def absolute_url(request, path):
    """``path`` (starting with ``/``) on the site's root URL."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root_url(request) + path
