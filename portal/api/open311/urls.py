"""Routes of the Open311 GeoReport v2 interface, each in .json and .xml."""

from django.urls import path, re_path

from . import views


def _both(route, view, name):
    return [
        path(f"{route}.{fmt}", view.as_view(), {"format": fmt}, name=f"{name}-{fmt}")
        for fmt in ("json", "xml")
    ]


urlpatterns = [
    *_both("open311/v2/discovery", views.DiscoveryView, "open311-discovery"),
    *_both("open311/v2/services", views.ServiceListView, "open311-services"),
    *_both(
        "open311/v2/services/<slug:service_code>",
        views.ServiceDefinitionView,
        "open311-service",
    ),
    *_both("open311/v2/requests", views.ServiceRequestListView, "open311-requests"),
    *_both(
        "open311/v2/requests/<str:service_request_id>",
        views.ServiceRequestDetailView,
        "open311-request",
    ),
    *_both("open311/v2/tokens/<str:token>", views.TokenView, "open311-token"),
    re_path(r"^open311/(?P<rest>.*)$", views.not_found, name="open311-not-found"),
]
