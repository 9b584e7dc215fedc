"""URL routes of this app, included from portal.urls."""

from django.urls import path, re_path

from . import photo_admin_views, public_views
from .photo_views import case_photo

urlpatterns = [
    path("cases/photos/<int:pk>/", case_photo, name="case_photo"),
    path(
        "cases/photos/<int:pk>/public/",
        photo_admin_views.set_photo_public,
        name="case_photo_public",
    ),
    path("cases/report/", public_views.report, name="case_report"),
    path("cases/track/", public_views.track, name="case_track"),
    # Case numbers only (AJ + year + sequence): /cases/search/ and the rest stay free.
    re_path(r"^cases/(?P<number>AJ\d{10,})/$", public_views.public_case, name="public_case"),
]
