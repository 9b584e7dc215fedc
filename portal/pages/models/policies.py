"""Policy library: documents with their number, level, dates and derived status.

Status is derived (``PolicyPage.status_on``), never stored; lists filter it
through ``policy_status_expression`` so filtering and pagination stay in SQL
instead of loading every policy into Python. The list queries are methods of
``PolicyPageQuerySet`` (``PolicyPage.objects.listing(...)``), one rule for the
library page, the home page and the tests.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Count, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.pages.api_fields import LivePageLinkField, LivePageListField, text_and_attachments
from portal.pages.attachments import PageAttachment
from portal.pages.blocks import BodyBlock
from portal.pages.checked import FieldProblemsMixin
from portal.pages.disclosures.forms import ShortSlugPageForm
from portal.pages.listing_params import parse_choice, parse_year
from portal.pages.public import PAGE_ROW_FIELDS, public_only

LIST_FIELDS = (
    *PAGE_ROW_FIELDS,
    "document_number",
    "issuer",
    "level",
    "issue_date",
    "effective_date",
    "repealed_on",
    "superseded_by",
    "interprets",
)
# What a home-page policy row shows (title, issuer, date, status, URL).
ROW_FIELDS = (
    *PAGE_ROW_FIELDS,
    "issuer",
    "issue_date",
    "effective_date",
    "repealed_on",
    "superseded_by",
)


@dataclass
class PolicyListing:
    policies: object
    level: str = ""
    topic: str = ""
    status: str = ""
    year: int | None = None
    errors: list = field(default_factory=list)


class PolicyPageQuerySet(PageQuerySet):
    def published(self, parent=None):
        qs = public_only(self.live())
        return qs.descendant_of(parent) if parent is not None else qs

    def with_status(self, day):
        """Annotate ``derived_status`` (same rule as ``PolicyPage.status_on``)."""
        return self.annotate(derived_status=policy_status_expression(day))

    def newest(self, limit):
        """The newest ``limit`` policies, home-page columns only."""
        return list(self.only(*ROW_FIELDS).order_by("-issue_date", "-id")[:limit])

    def listing(self, index, level=None, topic=None, status=None, year=None, day=None):
        """Policies of ``index``, newest issue date first, filtered by the raw query values."""
        day = day or timezone.localdate()
        listing = PolicyListing(policies=None)
        checks = (
            ("level", level, PolicyPage.Level.values, "层级"),
            ("status", status, PolicyPage.Status.values, "状态"),
        )
        for attr, raw, choices, what in checks:
            try:
                setattr(listing, attr, parse_choice(raw, choices, what))
            except ValueError as exc:
                listing.errors.append(str(exc))
        try:
            listing.year = parse_year(year)
        except ValueError as exc:
            listing.errors.append(str(exc))
        listing.topic = (topic or "").strip()

        qs = self.published(index).with_status(day)
        if listing.level:
            qs = qs.filter(level=listing.level)
        if listing.status:
            qs = qs.filter(derived_status=listing.status)
        if listing.year:
            qs = qs.filter(issue_date__year=listing.year)
        if listing.topic:
            qs = qs.filter(topics__slug=listing.topic)
        listing.policies = (
            qs.select_related("interprets")
            .only(*LIST_FIELDS, "interprets__id", "interprets__title")
            .prefetch_related("tagged_topics__tag")
            .order_by("-issue_date", "-id")
        )
        return listing

    def topic_choices(self):
        """Tags used by these policies: ``[(slug, name, count), …]``, by name."""
        rows = (
            Tag.objects.filter(pages_policytopic_items__content_object__in=self)
            .annotate(count=Count("pages_policytopic_items", distinct=True))
            .order_by("name")
            .values_list("slug", "name", "count")
        )
        return list(rows)

    def issue_years(self):
        """Years with at least one of these policies, newest first."""
        rows = (
            self.annotate(year=ExtractYear("issue_date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return list(rows)


PolicyPageManager = PageManager.from_queryset(PolicyPageQuerySet)


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
        from portal.pages.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        get = request.GET
        policies = PolicyPage.objects
        listing = policies.listing(
            self, get.get("level"), get.get("topic"), get.get("status"), get.get("year")
        )
        page_obj, page_range = paginate(request, listing.policies)
        context.update(
            listing=listing,
            policies=page_obj,
            page_range=page_range,
            levels=PolicyPage.Level.choices,
            statuses=PolicyPage.Status.choices,
            topics=policies.published(self).topic_choices(),
            years=policies.published(self).issue_years(),
        )
        return context


class PolicyTopic(TaggedItemBase):
    content_object = ParentalKey(
        "pages.PolicyPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class PolicyPage(FieldProblemsMixin, Page):
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

    objects = PolicyPageManager()

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
        *text_and_attachments(),
    ]

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def field_problems(self):
        return policy_problems(self)

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


class PolicyAttachment(PageAttachment):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
