"""Policy library: documents with their number, level, dates and derived status."""

from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from portal.pages.blocks import BodyBlock


class PolicyIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.PolicyPage"]

    class Meta:
        verbose_name = "政策文件栏目"
        verbose_name_plural = "政策文件栏目"


class PolicyTopic(TaggedItemBase):
    content_object = ParentalKey(
        "pages.PolicyPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class PolicyPage(Page):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家"
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县"
        TOWN = "town", "乡镇"

    class Status(models.TextChoices):
        PENDING = "pending", "尚未生效"
        IN_FORCE = "in_force", "现行有效"
        REVISED = "revised", "已修订"
        REPEALED = "repealed", "已废止"

    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="例如：信政办〔2024〕12号"
    )
    issuer = models.CharField("发文机关", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    issue_date = models.DateField("发布日期", db_index=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "pages.PolicyPage",
        verbose_name="被以下文件修订",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    interprets = models.ForeignKey(
        "pages.PolicyPage",
        verbose_name="解读的政策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        help_text="本文是政策解读时，选择被解读的政策文件",
    )
    topics = ClusterTaggableManager("主题", through=PolicyTopic, blank=True)
    summary = RichTextField("摘要", blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name="全文", blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuer")]),
                FieldPanel("level"),
                FieldRowPanel(
                    [
                        FieldPanel("issue_date"),
                        FieldPanel("effective_date"),
                        FieldPanel("repealed_on"),
                    ]
                ),
                FieldPanel("superseded_by"),
                FieldPanel("interprets"),
                FieldPanel("topics"),
            ],
            heading="文件信息",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]
    parent_page_types = ["pages.PolicyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def status_on(self, day=None):
        """Derived, never typed: from the dates and the superseded-by link."""
        day = day or timezone.localdate()
        if self.repealed_on and self.repealed_on <= day:
            return self.Status.REPEALED
        if self.superseded_by_id:
            return self.Status.REVISED
        if self.effective_date and self.effective_date > day:
            return self.Status.PENDING
        return self.Status.IN_FORCE

    @property
    def status(self):
        return self.status_on()

    @property
    def status_label(self):
        return self.Status(self.status).label

    @property
    def is_interpretation(self):
        return self.interprets_id is not None


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"
