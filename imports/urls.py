"""URL routes of this app, included from portal.urls."""

urlpatterns = []
