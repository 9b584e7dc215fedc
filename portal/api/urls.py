"""Routes of the open interfaces (included from portal.urls)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import staff, staff_imports
from .registers import case_stats, compliance, grids, regions
from .schema import ApiDocsView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
    path("api/registers/regions/", regions.RegionListView.as_view(), name="api-regions"),
    path("api/registers/grids/", grids.GridListView.as_view(), name="api-grids"),
    path(
        "api/registers/grids/<str:code>/",
        grids.GridDetailView.as_view(),
        name="api-grid",
    ),
    path(
        "api/registers/case-stats/",
        case_stats.CaseStatisticsView.as_view(),
        name="api-case-stats",
    ),
    path(
        "api/registers/case-stats/monthly/",
        case_stats.CaseMonthlyView.as_view(),
        name="api-case-stats-monthly",
    ),
    path(
        "api/registers/disclosure-compliance/",
        compliance.DisclosureComplianceView.as_view(),
        name="api-disclosure-compliance",
    ),
    path("api/staff/me/", staff.MeView.as_view(), name="api-staff-me"),
    path("api/staff/cases/", staff.StaffCaseListView.as_view(), name="api-staff-cases"),
    path(
        "api/staff/cases/<str:number>/",
        staff.StaffCaseDetailView.as_view(),
        name="api-staff-case",
    ),
    path(
        "api/staff/imports/", staff_imports.ImportListCreateView.as_view(), name="api-staff-imports"
    ),
    path(
        "api/staff/imports/<int:pk>/",
        staff_imports.ImportDetailView.as_view(),
        name="api-staff-import",
    ),
    path(
        "api/staff/imports/<int:pk>/confirm/",
        staff_imports.ImportConfirmView.as_view(),
        name="api-staff-import-confirm",
    ),
    path("", include("portal.api.open311.urls")),
]
