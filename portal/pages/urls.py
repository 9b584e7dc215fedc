"""URL routes of this app, included from portal.urls (before Wagtail's page serving)."""

from django.urls import path

from portal.pages.disclosures.views import compliance_view
from portal.pages.views import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    # Village-affairs disclosure compliance (disclosures engineer).
    path("disclosures/compliance/", compliance_view, name="disclosure_compliance"),
]
