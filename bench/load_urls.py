"""URLs for the load benchmark: the portal's own plus a bare view.

The bare view answers with a fixed body of a requested size through the same
middleware stack, so the benchmark can say how close each page is to the
framework's own floor.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

_BODIES = {}


def bare(request, size):
    body = _BODIES.get(size)
    if body is None:
        body = _BODIES.setdefault(size, b"x" * min(size, 10_000_000))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/bare/<int:size>/", bare), *portal_urlpatterns]
