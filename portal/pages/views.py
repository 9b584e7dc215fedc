"""Plain Django views of the pages app (everything else is served by Wagtail's page tree)."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.site_urls import absolute_url

ROBOTS_LINES = [
    "User-agent: *",
    # The admin is for staff only; its login page has nothing to index.
    "Disallow: /admin/",
]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """robots.txt: keep crawlers out of the admin and point them to the sitemap."""
    sitemap_url = absolute_url(request, "/sitemap.xml")  # the Site's host, not the Host header
    body = "\n".join([*ROBOTS_LINES, f"Sitemap: {sitemap_url}", ""])
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
