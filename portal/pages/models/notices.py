"""Notice board: 通知, 公告, 公示, 紧急通知, 红黑榜, 表彰."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.pages.api_fields import AttachmentListField
from portal.pages.blocks import BodyBlock
from portal.pages.disclosures.forms import NoticePageForm


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
        # Imported here: the listing module imports this models package.
        from portal.pages.notices import notice_listing, year_archive
        from portal.pages.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        listing = notice_listing(self, request.GET.get("category"), request.GET.get("year"))
        page_obj, page_range = paginate(request, listing.notices)
        context.update(
            listing=listing,
            notices=page_obj,
            page_range=page_range,
            categories=NoticePage.Category.choices,
            years=year_archive(self, listing.category),
        )
        return context


class NoticePage(Page):
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
        APIField("summary"),
        APIField("body"),
        APIField("attachments", serializer=AttachmentListField()),
    ]

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"

    def clean(self):
        super().clean()
        problems = notice_problems(self)
        if problems:
            raise ValidationError(problems)

    @property
    def category_label(self):
        return self.get_category_display()

    @property
    def is_urgent(self):
        """Shown with the urgent banner: ticked as urgent, or filed as 紧急通知."""
        return self.urgent or self.category == self.Category.URGENT

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


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"
