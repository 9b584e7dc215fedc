"""Admin routes, mounted under /admin/imports/ by ``wagtail_hooks``."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job_status"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("jobs/<int:pk>/error-report.xlsx", views.error_report, name="error_report"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("export/<str:kind>.xlsx", views.export_download, name="export"),
]
