"""URLconf for the 500-page test: the real routes plus one view that fails."""

from django.urls import path

from portal import urls as portal_urls


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom), *portal_urls.urlpatterns]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
