"""URL routes of this app, included from portal.urls: the public grid finder."""

from django.urls import path

from . import public_views

app_name = "grids"

urlpatterns = [
    path("grids/", public_views.grid_finder, name="finder"),
    path("grids/town/<int:town_id>/", public_views.town_villages, name="town"),
    path("grids/village/<int:village_id>/", public_views.village_grids, name="village"),
    path("grids/<str:code>/", public_views.grid_detail, name="grid"),
]
