"""Notice board: 通知, 公告, 公示, 紧急通知, 红黑榜, 表彰."""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from portal.pages.blocks import BodyBlock


class NoticeIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NoticePage"]

    class Meta:
        verbose_name = "通知公告栏目"
        verbose_name_plural = "通知公告栏目"


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
    ]
    parent_page_types = ["pages.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


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
