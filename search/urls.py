"""URL routes of this app, included from portal.urls."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("cases/search/", views.case_search, name="case_search"),
    path("search/", views.site_search, name="site_search"),
    path("api/cases/search/", api.CaseSearchAPIView.as_view(), name="api-case-search"),
]
