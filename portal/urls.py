"""Root URL configuration.

Each app owns its own routes (``<app>/urls.py``); Wagtail's page serving comes
last so that it only sees URLs no app claimed.
"""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.api import api_router
from portal.pages.attachments import serve_document
from portal.security.history_views import ScopedLogEntriesView
from portal.security.logout import PostOnlyLogoutView
from portal.security.workflow_reports import ScopedWorkflowTasksView, ScopedWorkflowView
from portal.views import favicon, xml_safe_sitemap

urlpatterns = [
    # Ahead of Wagtail's admin: its logout view clears the session cookie even on a GET.
    path("admin/logout/", PostOnlyLogoutView.as_view()),
    # Ahead of Wagtail's admin: its site history is filtered by model permission, not region.
    path("admin/reports/site-history/", ScopedLogEntriesView.as_view()),
    path("admin/reports/site-history/results/", ScopedLogEntriesView.as_view(results_only=True)),
    # Likewise the workflow reports, which list every grid under review to anyone who may edit grids.
    path("admin/reports/workflow/", ScopedWorkflowView.as_view()),
    path("admin/reports/workflow/results/", ScopedWorkflowView.as_view(results_only=True)),
    path("admin/reports/workflow_tasks/", ScopedWorkflowTasksView.as_view()),
    path(
        "admin/reports/workflow_tasks/results/",
        ScopedWorkflowTasksView.as_view(results_only=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Ahead of Wagtail's documents: the same view, downloading under the original file name.
    re_path(r"^documents/(\d+)/(.*)$", serve_document, name="portal_document_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", xml_safe_sitemap, name="sitemap"),
    # Browsers and feed readers that ignore the page's icon links ask for /favicon.ico:
    # point them at the shipped icon instead of rendering the Chinese 404 page each time.
    path("favicon.ico", favicon),
    path("", include("portal.pages.urls")),
    path("", include("portal.snippets.urls")),
    path("", include("portal.cases.urls")),
    path("", include("portal.field.urls")),
    path("", include("portal.care.urls")),
    path("", include("search.urls")),
    path("", include("imports.urls")),
    path("", include("portal.api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
