"""RSS 2.0 and Atom feeds (``django.contrib.syndication``): notices, village boards, policies.

A feed carries what the public page already shows and nothing more: the title,
the summary, the date, the issuing unit (an office, never a person) and the
link. Only live pages that are not view-restricted appear, from the site the
request came to. Each feed has an RSS view and an Atom subclass.

URLs (``portal.pages.urls``):

* ``/feeds/notices/`` and ``/feeds/notices/<category>/`` (通知, 公告, 公示, …)
* ``/feeds/disclosures/<region code>/`` — one village's disclosure board
* ``/feeds/policies/``

each with ``atom/`` appended for Atom.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from wagtail.models import Site

from portal.pages.models import (
    DisclosureIndexPage,
    DisclosurePage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)

ITEMS = 30


def _site_root(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("没有找到站点")
    return site


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def plain(text, limit=300):
    text = " ".join(strip_tags(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PageFeed(Feed):
    """Common parts: links through Wagtail's URL of the page on the request's site."""

    feed_type = Rss201rev2Feed
    language = "zh-CN"

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = _site_root(request)
        return self.find(request, *args, **kwargs)

    def find(self, request, *args, **kwargs):
        return None

    def pages(self, model):
        return model.objects.live().public().descendant_of(self.site.root_page)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return self.item_link(item)

    def item_title(self, item):
        return item.title

    def item_updateddate(self, item):
        """Atom requires ``updated`` on every entry: the last publication, else the date."""
        return item.last_published_at or self.item_pubdate(item)


class NoticesFeed(PageFeed):
    def find(self, request, category=None):
        if category is not None and category not in NoticePage.Category.values:
            raise Http404("没有这个通知类别")
        self.category = category
        self.index = self.pages(NoticeIndexPage).first()
        return category

    def title(self, obj):
        label = dict(NoticePage.Category.choices).get(obj) if obj else "全部"
        return f"{self.site.site_name or '基层治理门户'}：通知公告（{label}）"

    def link(self, obj):
        base = self.index.get_full_url(self.request) if self.index else "/"
        return f"{base}?category={obj}" if obj else base

    def description(self, obj):
        return "最新的通知、公告、公示"

    def items(self, obj):
        qs = self.pages(NoticePage)
        if obj:
            qs = qs.filter(category=obj)
        return qs.order_by("-date", "-first_published_at", "-id")[:ITEMS]

    def item_description(self, item):
        return plain(item.summary) or f"{item.issuing_unit}发布的{item.get_category_display()}"

    def item_pubdate(self, item):
        return item.first_published_at or _midnight(item.date)

    def item_author_name(self, item):
        return item.issuing_unit

    def item_categories(self, item):
        return [item.get_category_display()]


class DisclosureBoardFeed(PageFeed):
    def find(self, request, code):
        board = (
            self.pages(DisclosureIndexPage)
            .filter(region__code=code, region__level="village")
            .select_related("region")
            .first()
        )
        if board is None:
            raise Http404("没有找到这个村（社区）的村务公开栏")
        return board

    def title(self, obj):
        return f"{obj.region.name}村务公开"

    def link(self, obj):
        return obj.get_full_url(self.request)

    def description(self, obj):
        return f"{obj.region.name}的党务公开、村务公开、财务公开"

    def items(self, obj):
        return (
            self.pages(DisclosurePage).child_of(obj).order_by("-first_published_at", "-id")[:ITEMS]
        )

    def item_description(self, item):
        head = f"{item.get_kind_display()}（{item.period_label}）"
        summary = plain(item.summary)
        return f"{head}：{summary}" if summary else head

    def item_pubdate(self, item):
        return item.first_published_at or item.latest_revision_created_at

    def item_author_name(self, item):
        return item.region.name if item.region_id else None

    def item_categories(self, item):
        return [item.get_kind_display()]


class PoliciesFeed(PageFeed):
    def find(self, request):
        self.index = self.pages(PolicyIndexPage).first()
        return None

    def title(self, obj):
        return f"{self.site.site_name or '基层治理门户'}：政策文件"

    def link(self, obj):
        return self.index.get_full_url(self.request) if self.index else "/"

    def description(self, obj):
        return "最新发布的政策文件及解读"

    def items(self, obj):
        return self.pages(PolicyPage).order_by("-issue_date", "-id")[:ITEMS]

    def item_description(self, item):
        number = f"{item.document_number}，" if item.document_number else ""
        summary = plain(item.summary)
        head = f"{item.issuer}{number and '（' + number.rstrip('，') + '）'}"
        return f"{head}：{summary}" if summary else head

    def item_pubdate(self, item):
        return _midnight(item.issue_date)

    def item_author_name(self, item):
        return item.issuer

    def item_categories(self, item):
        return [item.level_label, item.status_label]


class NoticesAtomFeed(NoticesFeed):
    feed_type = Atom1Feed
    subtitle = NoticesFeed.description


class DisclosureBoardAtomFeed(DisclosureBoardFeed):
    feed_type = Atom1Feed
    subtitle = DisclosureBoardFeed.description


class PoliciesAtomFeed(PoliciesFeed):
    feed_type = Atom1Feed
    subtitle = PoliciesFeed.description


def feed_view(feed_class):
    """A view building a new feed object per request (the feed keeps the request and site)."""

    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    view.__name__ = feed_class.__name__
    view.__doc__ = feed_class.__doc__
    return view
