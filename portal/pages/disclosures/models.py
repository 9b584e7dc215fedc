"""Village-affairs disclosure (村务公开): catalog, index per village, disclosure pages.

The rules (period ranges, catalog matching, finance rows) live in
``portal.pages.disclosures.rules``; the models only call them, so the admin form,
the demo loader and any importer are held to the same rules.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from portal.pages import api_fields as api
from portal.pages.attachments import PageAttachment
from portal.pages.blocks import BodyBlock
from portal.pages.disclosures import review, rules
from portal.pages.disclosures.forms import DisclosureIndexPageForm, DisclosurePageForm


class DisclosureKind(models.TextChoices):
    PARTY = "party", "党务公开"
    VILLAGE = "village", "村务公开"
    FINANCE = "finance", "财务公开"


class DisclosurePeriodType(models.TextChoices):
    MONTH = rules.PERIOD_MONTH, "月度"
    QUARTER = rules.PERIOD_QUARTER, "季度"
    YEAR = rules.PERIOD_YEAR, "年度"
    IMMEDIATE = rules.PERIOD_IMMEDIATE, "即时"


class DisclosureCatalogItem(models.Model):
    """One line of the disclosure catalog: what a village must publish and when.

    ``due_day`` is the day of the first month after the period by which the
    disclosure must be published (e.g. 20: the previous quarter by the 20th of
    the quarter's first month); a day past the month's end means its last day.
    For immediate items it is the number of days allowed after the matter's own
    date. The compliance computation (``portal.pages.disclosures.compliance``) reads these.
    """

    name = models.CharField("公开事项", max_length=100)
    kind = models.CharField("公开类别", max_length=10, choices=DisclosureKind.choices)
    frequency = models.CharField("公开频次", max_length=10, choices=DisclosurePeriodType.choices)
    due_day = models.PositiveSmallIntegerField(
        "截止日",
        default=20,
        validators=[MaxValueValidator(366)],
        help_text="月度/季度/年度：期满后次月的第几日（1–31，超出当月天数按月末计）；"
        "即时：事项发生后几日内公开",
    )
    applies_to = models.ManyToManyField(
        "snippets.Region",
        verbose_name="适用村（社区）",
        blank=True,
        related_name="+",
        help_text="为空表示适用于所有村（社区）；也可选择乡镇（街道）本级",
    )
    active_from = models.DateField("起始日期", help_text="从该日期所在期次开始要求公开")
    active = models.BooleanField("启用", default=True)
    description = models.TextField("说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("frequency"), FieldPanel("due_day")]),
        FieldPanel("applies_to"),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active")]),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "公开目录事项"
        verbose_name_plural = "公开目录"
        ordering = ["sort_order", "id"]

    def __str__(self):
        label = f"（{self.get_frequency_display()}）"
        return self.name if self.name.endswith(label) else f"{self.name}{label}"

    def clean(self):
        super().clean()
        if self.frequency != rules.PERIOD_IMMEDIATE and not (1 <= (self.due_day or 0) <= 31):
            raise ValidationError({"due_day": "月度/季度/年度事项的截止日应为1至31日"})


class DisclosurePermissionTester(PagePermissionTester):
    """Wagtail's tester, with publishing held to the committee's review.

    Every admin path (edit view's publish button, bulk publish, the workflow's
    final publish, copy-with-publish) asks ``can_publish`` first, so the button
    disappears and the request is refused where Wagtail would refuse any other
    missing permission.
    """

    def can_publish(self):
        if not super().can_publish():
            return False
        cached = getattr(self, "_review_ok", None)
        if cached is None:
            cached = self._review_ok = review.latest_revision_publishable(self.page, self.user)
        return cached


class DisclosureIndexPermissionTester(PagePermissionTester):
    """A new disclosure cannot be published straight away from a village's board."""

    def can_publish_subpage(self):
        if not super().can_publish_subpage():
            return False
        region = getattr(self.page, "region", None)
        if region is not None and region.level == "village":
            return review.has_override(self.user)
        return True


class DisclosureIndexPage(Page):
    """Disclosures of one village/community, or of the town when region is a town.

    The town's index (slug ``disclosures``) lists the village indexes below it;
    a village's index lists its disclosures, filtered by kind, year and period
    through the query string (plain links, bookmarkable, no JavaScript).
    """

    region = models.ForeignKey(
        "snippets.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_indexes",
    )
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("intro")]
    api_fields = [APIField("region", serializer=api.RegionField()), APIField("intro")]
    parent_page_types = ["pages.HomePage", "pages.DisclosureIndexPage"]
    subpage_types = ["pages.DisclosureIndexPage", "pages.DisclosurePage"]
    base_form_class = DisclosureIndexPageForm

    class Meta:
        verbose_name = "村务公开栏目"
        verbose_name_plural = "村务公开栏目"

    def clean(self):
        super().clean()
        if self.region_id is None:
            raise ValidationError({"region": "请选择本栏目所属的村（社区）或乡镇（街道）"})
        taken = DisclosureIndexPage.objects.filter(region_id=self.region_id).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {"region": f"「{self.region}」已有村务公开栏目：{taken.first().title}"}
            )

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        # Keep the denormalised region of the disclosures below in step.
        DisclosurePage.objects.child_of(self).exclude(region_id=self.region_id).update(
            region_id=self.region_id
        )
        return result

    def permissions_for_user(self, user):
        return DisclosureIndexPermissionTester(user, self)

    @classmethod
    def can_create_at(cls, parent):
        """No board inside a village's board: a village holds disclosures, not sections."""
        if not super().can_create_at(parent):
            return False
        region = getattr(parent.specific, "region", None)
        return not (
            isinstance(parent.specific, DisclosureIndexPage)
            and region is not None
            and region.level == "village"
        )

    def get_context(self, request, *args, **kwargs):
        from portal.pages.disclosures.listing import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class DisclosurePage(RoutablePageMixin, Page):
    """One disclosure: a catalog item for a period, with its finance table if any."""

    kind = models.CharField(
        "公开类别", max_length=10, choices=DisclosureKind.choices, db_index=True
    )
    period_type = models.CharField(
        "公开期次类型", max_length=10, choices=DisclosurePeriodType.choices
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    period_number = models.PositiveSmallIntegerField(
        "月份/季度", null=True, blank=True, help_text="月度填1–12，季度填1–4，年度与即时留空"
    )
    matter_date = models.DateField(
        "事项发生日期", null=True, blank=True, help_text="即时公开的重大事项填写"
    )
    catalog_item = models.ForeignKey(
        DisclosureCatalogItem,
        verbose_name="对应公开目录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosures",
    )
    # Copied from the parent index on save so lists and compliance need no tree walk.
    region = models.ForeignKey(
        "snippets.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
        editable=False,
    )
    summary = models.TextField("摘要", blank=True)
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True, use_json_field=True)
    opening_balance = models.DecimalField(
        "期初余额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel(
                    [FieldPanel("period_type"), FieldPanel("year"), FieldPanel("period_number")]
                ),
                FieldPanel("matter_date"),
                FieldPanel("catalog_item"),
            ],
            heading="公开事项",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("opening_balance"), InlinePanel("finance_items", label="收支明细")],
            heading="财务收支（财务公开填写，合计自动计算）",
        ),
        InlinePanel("attachments", label="附件"),
        MultiFieldPanel(
            [FieldPanel("leak_confirm"), FieldPanel("leak_reason")],
            heading="隐私检查（提交审核前自动检查身份证号、手机号码和银行卡号）",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.FilterField("region"),
    ]
    # Headless API (added by the pages engineer): everything a mini-program needs
    # to render the disclosure, totals computed as on the page.
    api_fields = [
        APIField("region", serializer=api.RegionField()),
        APIField("kind"),
        APIField("kind_label", serializer=api.choice_label("get_kind_display")),
        APIField("period_type"),
        APIField("year"),
        APIField("period_number"),
        APIField("matter_date"),
        APIField("period_label"),
        APIField("catalog_item", serializer=api.CatalogItemField()),
        APIField("summary"),
        APIField("body"),
        APIField("opening_balance", serializer=api.money_field()),
        APIField("finance_items", serializer=api.FinanceItemsField()),
        APIField("income_total", serializer=api.money_field()),
        APIField("expense_total", serializer=api.money_field()),
        APIField("closing_balance", serializer=api.money_field()),
        APIField("attachments", serializer=api.AttachmentListField()),
        APIField("committee_reviewed"),
    ]
    parent_page_types = ["pages.DisclosureIndexPage"]
    subpage_types = []
    base_form_class = DisclosurePageForm

    class Meta:
        verbose_name = "公开内容"
        verbose_name_plural = "公开内容"
        indexes = [models.Index(fields=["region", "catalog_item", "year", "period_number"])]
        permissions = [
            (review.OVERRIDE_CODENAME, "未经村务监督委员会审核紧急发布公开内容"),
        ]

    # --- review --------------------------------------------------------------

    def permissions_for_user(self, user):
        return DisclosurePermissionTester(user, self)

    def get_lock(self):
        """Read-only for everybody while the committee reviews it (see ``disclosure_review``)."""
        state = self.current_workflow_state
        task = self.current_workflow_task if state is not None else None
        if task is not None:
            return review.DisclosureReviewLock(self, task)
        return super().get_lock()

    def publish(self, revision, user=None, *args, **kwargs):
        """The one door to going live: the committee approved this revision, or the override."""
        review.authorise_publication(self, revision, user)
        return super().publish(revision, user, *args, **kwargs)

    @property
    def committee_reviewed(self):
        """Whether the live revision was approved by the village's committee."""
        approval, _ = review.live_review(self)
        return approval is not None

    # --- rules ---------------------------------------------------------------

    @classmethod
    def can_create_at(cls, parent):
        """Only under a village's index: permissions and review are set per village."""
        if not super().can_create_at(parent):
            return False
        region = getattr(parent.specific, "region", None)
        return region is not None and region.level == "village"

    def clean(self):
        super().clean()
        errors = rules.period_problems(
            self.period_type, self.year, self.period_number, self.matter_date
        )
        if self.region_id is not None and self.region.level != "village":
            errors["__all__"] = ["公开内容须发布在村（社区）的村务公开栏目下"]
        for field, message in rules.catalog_problems(
            self.kind, self.period_type, self.catalog_item, self.region_id
        ).items():
            errors.setdefault(field, message)
        if self.kind == DisclosureKind.FINANCE and self.opening_balance is None:
            errors["opening_balance"] = "财务公开须填写期初余额（没有则填0）"
        # The finance rows held in memory (an unsaved cluster) obey the same rules
        # as the admin form's rows; the form names the rows itself before this runs.
        row_messages = []
        for number, line in enumerate(self.finance_items.all(), start=1):
            row_messages += rules.finance_row_problems(
                number, line.direction, line.item, line.amount
            )
        if row_messages:
            errors.setdefault("__all__", []).extend(row_messages)
        if errors:
            raise ValidationError(errors)

    def region_id_from_parent(self):
        """The region of the index this page sits under (None before it is in the tree)."""
        if not self.path or len(self.path) <= self.steplen:
            return None
        return (
            DisclosureIndexPage.objects.filter(path=self.path[: -self.steplen])
            .values_list("region_id", flat=True)
            .first()
        )

    def save(self, *args, **kwargs):
        if self.path:
            self.region_id = self.region_id_from_parent()
        review.check_going_live(self)
        return super().save(*args, **kwargs)

    # --- presentation ---------------------------------------------------------

    @property
    def period_label(self):
        return rules.period_label(self.period_type, self.year, self.period_number, self.matter_date)

    @cached_property
    def finance(self):
        """Lines and computed totals, read once per request (one query)."""
        return rules.summarise_finance(self.opening_balance, list(self.finance_items.all()))

    @property
    def income_total(self):
        return self.finance.income_total

    @property
    def expense_total(self):
        return self.finance.expense_total

    @property
    def closing_balance(self):
        return self.finance.closing_balance

    @cached_property
    def approval(self):
        """Who approved the disclosure in the workflow, and when (None if nobody did)."""
        from portal.pages.disclosures.approval import approval_record

        return approval_record(self)

    def get_context(self, request, *args, **kwargs):
        from portal.pages.attachments import attachment_rows

        context = super().get_context(request, *args, **kwargs)
        context["attachment_rows"] = attachment_rows(self.attachments)
        context["village_index"] = self.get_parent().specific
        return context

    @path("print/", name="print")
    def print_view(self, request):
        """An A4 sheet for the physical board, with signature lines for the committee."""
        return self.render(request, template="pages/disclosure_page_print.html")


class FinanceLineItem(Orderable):
    class Direction(models.TextChoices):
        INCOME = "income", "收入"
        EXPENSE = "expense", "支出"

    page = ParentalKey(DisclosurePage, on_delete=models.CASCADE, related_name="finance_items")
    direction = models.CharField("收支", max_length=10, choices=Direction.choices)
    item = models.CharField("项目", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    note = models.CharField("备注", max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("direction"), FieldPanel("item"), FieldPanel("amount")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "收支明细"
        verbose_name_plural = "收支明细"

    def clean(self):
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "金额不能为负数（退款请记入相反方向）"})


class DisclosureAttachment(PageAttachment):
    page = ParentalKey(DisclosurePage, on_delete=models.CASCADE, related_name="attachments")
