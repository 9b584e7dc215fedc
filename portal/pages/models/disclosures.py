"""Village-affairs disclosure (村务公开): catalog, index per village, disclosure pages."""

from decimal import Decimal

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from portal.pages.blocks import BodyBlock


class DisclosureKind(models.TextChoices):
    PARTY = "party", "党务公开"
    VILLAGE = "village", "村务公开"
    FINANCE = "finance", "财务公开"


class DisclosurePeriodType(models.TextChoices):
    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年度"
    IMMEDIATE = "immediate", "即时"


class DisclosureCatalogItem(models.Model):
    """One line of the disclosure catalog: what a village must publish and when.

    ``due_day`` is the day of the first month after the period by which the
    disclosure must be published (e.g. 20: the previous quarter by the 20th of
    the quarter's first month). For immediate items it is the number of days
    allowed after the matter's own date.
    """

    name = models.CharField("公开事项", max_length=100)
    kind = models.CharField("公开类别", max_length=10, choices=DisclosureKind.choices)
    frequency = models.CharField("公开频次", max_length=10, choices=DisclosurePeriodType.choices)
    due_day = models.PositiveSmallIntegerField("截止日", default=20)
    applies_to = models.ManyToManyField(
        "snippets.Region",
        verbose_name="适用村（社区）",
        blank=True,
        related_name="+",
        help_text="为空表示适用于所有村（社区）",
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
        return f"{self.name}（{self.get_frequency_display()}）"


class DisclosureIndexPage(Page):
    """Disclosures of one village/community, or of the town when region is a town."""

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
    parent_page_types = ["pages.HomePage", "pages.DisclosureIndexPage"]
    subpage_types = ["pages.DisclosureIndexPage", "pages.DisclosurePage"]

    class Meta:
        verbose_name = "村务公开栏目"
        verbose_name_plural = "村务公开栏目"


class DisclosurePage(Page):
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
    ]
    parent_page_types = ["pages.DisclosureIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "公开内容"
        verbose_name_plural = "公开内容"

    def _items(self):
        return list(self.finance_items.all())

    @property
    def income_total(self):
        return sum(
            (i.amount for i in self._items() if i.direction == FinanceLineItem.Direction.INCOME),
            Decimal("0"),
        )

    @property
    def expense_total(self):
        return sum(
            (i.amount for i in self._items() if i.direction == FinanceLineItem.Direction.EXPENSE),
            Decimal("0"),
        )

    @property
    def closing_balance(self):
        return (self.opening_balance or Decimal("0")) + self.income_total - self.expense_total


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


class DisclosureAttachment(Orderable):
    page = ParentalKey(DisclosurePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"
