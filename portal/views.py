"""Site-wide views: the Chinese error pages and the XML-safe sitemap."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from wagtail.contrib.sitemaps.views import sitemap

from portal.security import errors
from portal.security.xmltext import xml_safe_bytes


def page_not_found(request, exception=None):
    """The Chinese 404 page; JSON/XML on API paths, so an API client can parse every answer."""
    if errors.response_format(request.path) != "html":
        return errors.not_found_response(request)
    return render(request, "404.html", status=404)


def server_error(request):
    """500 (or 503 when the database is down), as JSON/XML on API paths; see security.errors."""
    return errors.server_error(request)


def xml_safe_sitemap(request):
    """Wagtail's sitemap, with any character XML 1.0 forbids removed from the document.

    The template (``templates/sitemap.xml``) already filters each value; this
    also covers whatever a page's ``get_sitemap_urls`` adds, so the document a
    crawler reads is well-formed whatever a page holds.
    """
    response = sitemap(request)
    if hasattr(response, "render"):
        response.render()
    response.content = xml_safe_bytes(response.content)
    return response


def favicon(request):
    """``/favicon.ico`` → the shipped icon, for clients that ignore the pages' icon links
    (rather than the Chinese 404 page each time). Resolved per request: the hashed
    static name exists only after ``collectstatic``."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
