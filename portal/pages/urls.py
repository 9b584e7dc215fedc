"""URL routes of this app, included from portal.urls (before Wagtail's page serving)."""

from django.urls import path

from portal.pages import feeds
from portal.pages.disclosures.question_views import ask_view
from portal.pages.disclosures.views import compliance_view
from portal.pages.views import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    # Village-affairs disclosure compliance (disclosures engineer).
    path("disclosures/compliance/", compliance_view, name="disclosure_compliance"),
    path("disclosures/questions/<int:page_id>/ask/", ask_view, name="disclosure_question_ask"),
    # Feeds (RSS 2.0; Atom under atom/).
    path("feeds/notices/", feeds.feed_view(feeds.NoticesFeed), name="feed_notices"),
    path("feeds/notices/atom/", feeds.feed_view(feeds.NoticesAtomFeed), name="feed_notices_atom"),
    path(
        "feeds/notices/<slug:category>/",
        feeds.feed_view(feeds.NoticesFeed),
        name="feed_notices_category",
    ),
    path(
        "feeds/notices/<slug:category>/atom/",
        feeds.feed_view(feeds.NoticesAtomFeed),
        name="feed_notices_category_atom",
    ),
    path(
        "feeds/disclosures/<str:code>/",
        feeds.feed_view(feeds.DisclosureBoardFeed),
        name="feed_disclosures",
    ),
    path(
        "feeds/disclosures/<str:code>/atom/",
        feeds.feed_view(feeds.DisclosureBoardAtomFeed),
        name="feed_disclosures_atom",
    ),
    path("feeds/policies/", feeds.feed_view(feeds.PoliciesFeed), name="feed_policies"),
    path(
        "feeds/policies/atom/", feeds.feed_view(feeds.PoliciesAtomFeed), name="feed_policies_atom"
    ),
]
