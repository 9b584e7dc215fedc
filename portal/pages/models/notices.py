"""Notice board: 通知, 公告, 公示, 紧急通知, 红黑榜, 表彰.

Which notices show, and in what order, is one rule for the board, the home
page, the urgent banner, the API and the tests (``NoticePageQuerySet``):

- a notice is *pinned now* when it is pinned and its pin has not expired (no
  end date, or an end date today or later);
- a notice is *urgent now* when it is urgent (ticked, or filed as 紧急通知) and
  valid today: started (no valid-from, or valid-from today or earlier) and not
  ended (valid-until today or later; without a valid-until, for
  ``URGENT_DEFAULT_DAYS`` days from its date, so a forgotten end date does not
  keep a banner up for ever);
- the board shows pinned-now notices first, then the newest by date. Expired
  notices (valid-until before today) stay listed and are only marked, because
  the board is also the archive.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.pages.api_fields import text_and_attachments
from portal.pages.attachments import PageAttachment
from portal.pages.blocks import BodyBlock
from portal.pages.checked import FieldProblemsMixin
from portal.pages.disclosures.forms import NoticePageForm
from portal.pages.listing_params import parse_choice, parse_year
from portal.pages.public import PAGE_ROW_FIELDS, public_only

# An urgent notice without a valid-until date counts as urgent this many days from its date.
URGENT_DEFAULT_DAYS = 7

# Columns a list row shows; the body StreamField and search columns are never loaded.
LIST_FIELDS = (
    *PAGE_ROW_FIELDS,
    "date",
    "category",
    "issuing_unit",
    "urgent",
    "pinned",
    "pinned_until",
    "valid_from",
    "valid_until",
    "summary",
)

URGENT_CATEGORY = "urgent"


def pin_active_q(day):
    return Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gte=day))


def urgent_active_q(day):
    """Urgent and valid on ``day`` (see the module docstring)."""
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    not_ended = Q(valid_until__gte=day) | Q(
        valid_until__isnull=True, date__gte=day - datetime.timedelta(days=URGENT_DEFAULT_DAYS)
    )
    return (Q(urgent=True) | Q(category=URGENT_CATEGORY)) & started & not_ended


def _flag(q):
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass
class NoticeListing:
    notices: object  # queryset, ordered for the board
    category: str = ""
    year: int | None = None
    errors: list = field(default_factory=list)


@dataclass
class HomeNotices:
    urgent: list
    pinned: list
    latest: list


class NoticePageQuerySet(PageQuerySet):
    def published(self, parent=None):
        """Live, public notices, optionally only those under ``parent``."""
        qs = public_only(self.live())
        return qs.descendant_of(parent) if parent is not None else qs

    def pinned_now(self, day):
        return self.filter(pin_active_q(day))

    def not_pinned_now(self, day):
        return self.exclude(pin_active_q(day))

    def urgent_now(self, day):
        return self.filter(urgent_active_q(day))

    def with_list_flags(self, day):
        """``pin_active``, ``urgent_active`` and ``validity_ended``: no per-row logic in templates."""
        return self.annotate(
            pin_active=_flag(pin_active_q(day)),
            urgent_active=_flag(urgent_active_q(day)),
            validity_ended=_flag(Q(valid_until__lt=day)),
        )

    def list_rows(self, day):
        """The list columns only, with the flags."""
        return self.with_list_flags(day).only(*LIST_FIELDS)

    def for_board(self, day):
        """Pinned-now first, then newest date, then newest page (stable for pagination)."""
        return self.list_rows(day).order_by("-pin_active", "-date", "-id")

    def newest_first(self, day):
        return self.list_rows(day).order_by("-date", "-id")

    def for_home(self, day, urgent_limit=3, pinned_limit=5, latest_limit=6):
        """Urgent-now, pinned-now and latest notices for the home page, usually in one query.

        One query ordered urgent-now, pinned-now, newest: its first rows hold
        all three lists unless more urgent or pinned notices are active than
        shown; only then a second query fetches the rest of the latest notices.
        A notice appears in one list only: urgent before pinned, and the latest
        are neither (urgent notices beyond ``urgent_limit`` are in the banner).
        """
        limit = urgent_limit + pinned_limit + latest_limit
        rows = list(
            self.list_rows(day).order_by("-urgent_active", "-pin_active", "-date", "-id")[:limit]
        )
        urgent = [n for n in rows if n.urgent_active][:urgent_limit]
        pinned = [n for n in rows if n.pin_active and not n.urgent_active][:pinned_limit]
        latest = [n for n in rows if not (n.urgent_active or n.pin_active)][:latest_limit]
        if len(latest) < latest_limit and len(rows) == limit:
            latest = list(
                self.exclude(urgent_active_q(day))
                .not_pinned_now(day)
                .newest_first(day)[:latest_limit]
            )
        return HomeNotices(urgent=urgent, pinned=pinned, latest=latest)

    def listing(self, index, category=None, year=None, day=None):
        """The notices of ``index`` for the board, filtered by category and year.

        ``category`` and ``year`` are the raw query-string values; invalid ones
        are ignored and explained in ``errors`` (shown to the reader) rather
        than failing the page.
        """
        day = day or timezone.localdate()
        listing = NoticeListing(notices=None)
        try:
            listing.category = parse_choice(category, NoticePage.Category.values, "类别")
        except ValueError as exc:
            listing.errors.append(str(exc))
        try:
            listing.year = parse_year(year)
        except ValueError as exc:
            listing.errors.append(str(exc))
        qs = self.published(index)
        if listing.category:
            qs = qs.filter(category=listing.category)
        if listing.year:
            qs = qs.filter(date__year=listing.year)
        listing.notices = qs.for_board(day)
        return listing

    def year_archive(self, category=""):
        """``[(year, count), …]`` newest first, for the archive links."""
        qs = self.filter(category=category) if category else self
        rows = (
            qs.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(count=Count("id"))
            .order_by("-year")
        )
        return [(row["year"], row["count"]) for row in rows]


NoticePageManager = PageManager.from_queryset(NoticePageQuerySet)


def notice_problems(notice):
    """Field errors (in Chinese) for a notice's dates and pin; an empty dict when it is sound.

    A plain function so the admin form (through ``clean``), importers and tests
    all apply the same rules.
    """
    problems = {}
    if notice.valid_from and notice.valid_until and notice.valid_until < notice.valid_from:
        problems["valid_until"] = "有效期止不能早于有效期起，请检查两个日期。"
    if notice.pinned_until and not notice.pinned:
        problems["pinned_until"] = "只有置顶的通知才能设置置顶截止日期，请勾选“置顶”或清空该日期。"
    if notice.pinned and notice.pinned_until and notice.date and notice.pinned_until < notice.date:
        problems["pinned_until"] = "置顶截止日期不能早于发布日期。"
    return problems


class NoticeIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NoticePage"]

    class Meta:
        verbose_name = "通知公告栏目"
        verbose_name_plural = "通知公告栏目"

    def get_context(self, request, *args, **kwargs):
        from portal.pages.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        notices = NoticePage.objects
        listing = notices.listing(self, request.GET.get("category"), request.GET.get("year"))
        page_obj, page_range = paginate(request, listing.notices)
        context.update(
            listing=listing,
            notices=page_obj,
            page_range=page_range,
            categories=NoticePage.Category.choices,
            years=notices.published(self).year_archive(listing.category),
        )
        return context


class NoticePage(FieldProblemsMixin, Page):
    class Category(models.TextChoices):
        NOTICE = "notice", "通知"
        ANNOUNCEMENT = "announcement", "公告"
        PUBLICITY = "publicity", "公示"
        URGENT = "urgent", "紧急通知"
        HONOUR_ROLL = "honour_roll", "红黑榜"
        COMMENDATION = "commendation", "表彰"

    date = models.DateField("发布日期", default=timezone.localdate, db_index=True)
    category = models.CharField(
        "类别", max_length=20, choices=Category.choices, default=Category.NOTICE, db_index=True
    )
    issuing_unit = models.CharField("发布单位", max_length=100)
    pinned = models.BooleanField("置顶", default=False)
    pinned_until = models.DateField("置顶截止", null=True, blank=True, help_text="为空则一直置顶")
    urgent = models.BooleanField("紧急", default=False)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期止", null=True, blank=True)
    summary = models.TextField("摘要", blank=True)
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True, use_json_field=True)

    objects = NoticePageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("category"),
                FieldPanel("issuing_unit"),
                FieldPanel("urgent"),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [FieldPanel("pinned"), FieldPanel("pinned_until")],
            heading="置顶",
        ),
        MultiFieldPanel(
            [FieldPanel("valid_from"), FieldPanel("valid_until")],
            heading="有效期",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
        MultiFieldPanel(
            [FieldPanel("leak_confirm"), FieldPanel("leak_reason")],
            heading="隐私检查（发布前自动检查身份证号、手机号码和银行卡号）",
        ),
    ]
    parent_page_types = ["pages.NoticeIndexPage"]
    subpage_types = []
    base_form_class = NoticePageForm

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("issuing_unit"),
        index.FilterField("category"),
        index.FilterField("date"),
        index.FilterField("urgent"),
    ]
    api_fields = [
        APIField("date"),
        APIField("category"),
        APIField("category_label"),
        APIField("issuing_unit"),
        APIField("urgent"),
        APIField("is_urgent"),
        APIField("pinned"),
        APIField("pinned_until"),
        APIField("is_pinned"),
        APIField("valid_from"),
        APIField("valid_until"),
        APIField("is_expired"),
        *text_and_attachments(),
    ]

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"

    def field_problems(self):
        return notice_problems(self)

    @property
    def category_label(self):
        return self.get_category_display()

    @property
    def is_urgent(self):
        """Shown with the urgent badge: ticked as urgent, or filed as 紧急通知."""
        return self.urgent or self.category == self.Category.URGENT

    def is_urgent_on(self, day):
        """Urgent and valid on ``day``: on the home page first and in the site-wide banner."""
        if not self.is_urgent or (self.valid_from and self.valid_from > day):
            return False
        if self.valid_until is not None:
            return self.valid_until >= day
        return self.date >= day - datetime.timedelta(days=URGENT_DEFAULT_DAYS)

    def is_pinned_on(self, day):
        return self.pinned and (self.pinned_until is None or self.pinned_until >= day)

    @property
    def is_pinned(self):
        return self.is_pinned_on(timezone.localdate())

    def is_expired_on(self, day):
        return self.valid_until is not None and self.valid_until < day

    @property
    def is_expired(self):
        """Past its valid-until date: kept in the archive, marked 已过期."""
        return self.is_expired_on(timezone.localdate())


class NoticeAttachment(PageAttachment):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
