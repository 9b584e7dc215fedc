"""Policy library: documents with their number, level, dates and derived status."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.pages.api_fields import AttachmentListField, LivePageLinkField, LivePageListField
from portal.pages.blocks import BodyBlock
from portal.pages.disclosures.forms import ShortSlugPageForm


class PolicyIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.PolicyPage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "政策文件栏目"
        verbose_name_plural = "政策文件栏目"

    def get_context(self, request, *args, **kwargs):
        # Imported here: the listing module imports this models package.
        from portal.pages.pagination import paginate
        from portal.pages.policies import issue_years, policy_listing, topic_choices

        context = super().get_context(request, *args, **kwargs)
        get = request.GET
        listing = policy_listing(
            self, get.get("level"), get.get("topic"), get.get("status"), get.get("year")
        )
        page_obj, page_range = paginate(request, listing.policies)
        context.update(
            listing=listing,
            policies=page_obj,
            page_range=page_range,
            levels=PolicyPage.Level.choices,
            statuses=PolicyPage.Status.choices,
            topics=topic_choices(self),
            years=issue_years(self),
        )
        return context


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
    base_form_class = ShortSlugPageForm
    parent_page_types = ["pages.PolicyIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("issuer"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
        index.FilterField("issue_date"),
    ]
    api_fields = [
        APIField("document_number"),
        APIField("issuer"),
        APIField("level"),
        APIField("level_label"),
        APIField("issue_date"),
        APIField("effective_date"),
        APIField("repealed_on"),
        APIField("status"),
        APIField("status_label"),
        APIField("superseded_by", serializer=LivePageLinkField()),
        APIField("supersedes", serializer=LivePageListField()),
        APIField("interprets", serializer=LivePageLinkField()),
        APIField("interpretations", serializer=LivePageListField()),
        APIField("is_interpretation"),
        APIField("topics"),
        APIField("summary"),
        APIField("body"),
        APIField("attachments", serializer=AttachmentListField()),
    ]

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def clean(self):
        super().clean()
        problems = policy_problems(self)
        if problems:
            raise ValidationError(problems)

    def status_on(self, day=None):
        """Derived, never typed: from the dates and the superseded-by link.

        ``policy_status_expression`` is the same rule as a database expression;
        keep the two in step (tests compare them case by case).
        """
        day = day or timezone.localdate()
        if self.repealed_on and self.repealed_on <= day:
            return self.Status.REPEALED
        if self.superseded_by_id:
            return self.Status.REVISED
        if self.effective_date and self.effective_date > day:
            return self.Status.PENDING
        return self.Status.IN_FORCE

    @property
    def level_label(self):
        return self.get_level_display()

    @property
    def status(self):
        return self.status_on()

    @property
    def status_label(self):
        return self.Status(self.status).label

    @property
    def is_interpretation(self):
        return self.interprets_id is not None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["interpretation_pages"] = (
            self.interpretations.live().public().order_by("-issue_date", "-id")
        )
        context["supersedes_pages"] = self.supersedes.live().public().order_by("-issue_date")
        context["topic_list"] = list(self.topics.all().order_by("name"))
        context["index_url"] = self.get_parent().get_url(request) if self.depth > 1 else ""
        return context


def policy_status_expression(day):
    """``PolicyPage.status_on(day)`` as a SQL expression, so lists filter and paginate in SQL."""
    return Case(
        When(repealed_on__lte=day, then=Value(PolicyPage.Status.REPEALED)),
        When(superseded_by__isnull=False, then=Value(PolicyPage.Status.REVISED)),
        When(effective_date__gt=day, then=Value(PolicyPage.Status.PENDING)),
        default=Value(PolicyPage.Status.IN_FORCE),
        output_field=models.CharField(max_length=10),
    )


def policy_problems(policy):
    """Field errors (in Chinese) for a policy's dates and links; empty when it is sound."""
    problems = {}
    if policy.issue_date and policy.effective_date and policy.effective_date < policy.issue_date:
        problems["effective_date"] = "施行日期不能早于发布日期。"
    if policy.issue_date and policy.repealed_on and policy.repealed_on < policy.issue_date:
        problems["repealed_on"] = "废止日期不能早于发布日期。"
    if policy.pk is not None:
        if policy.superseded_by_id == policy.pk:
            problems["superseded_by"] = "文件不能被自身修订，请选择另一份文件。"
        elif policy.superseded_by_id is not None:
            newer = PolicyPage.objects.filter(pk=policy.superseded_by_id).only("superseded_by")
            if newer.filter(superseded_by_id=policy.pk).exists():
                problems["superseded_by"] = "两份文件不能互相修订，请检查“被以下文件修订”。"
        if policy.interprets_id == policy.pk:
            problems["interprets"] = "政策解读不能解读自身，请选择被解读的政策文件。"
    return problems


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
