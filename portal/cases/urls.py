"""URL routes of this app, included from portal.urls."""

from django.urls import path

from .photo_views import case_photo

urlpatterns = [
    path("cases/photos/<int:pk>/", case_photo, name="case_photo"),
]
