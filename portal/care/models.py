"""Care objects (关爱对象), their visits (走访记录), grid rounds (巡查) and the town's settings.

Care objects are sensitive personal information: the ID number is sealed as a
volunteer's is (``portal.snippets.pii``: AES-GCM ciphertext, keyed lookup hash,
masked copy), the phone and address are private, and nothing here reaches a
public page or API — the public sees only counts per village
(``portal.care.figures``). The rules (scope, cadence, overdue, once-only
submission) live in ``portal.care.services`` and ``portal.care.cadence``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.snippets.models import Grid, Region
from portal.snippets.models.sealed import SealedIdNumber


class CareKind(models.TextChoices):
    ALONE_ELDERLY = "alone_elderly", "独居老人"
    EMPTY_NEST = "empty_nest", "空巢老人"
    LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
    DISABLED = "disabled", "残疾人"
    HARDSHIP = "hardship", "困难家庭"
    OTHER = "other", "其他"


# Days between visits when the town has set none for a kind: the one table.
DEFAULT_CADENCE_DAYS = {
    CareKind.ALONE_ELDERLY: 7,
    CareKind.EMPTY_NEST: 14,
    CareKind.LEFT_BEHIND_CHILD: 14,
    CareKind.DISABLED: 14,
    CareKind.HARDSHIP: 30,
    CareKind.OTHER: 30,
}


def town_level_problem(setting, what):
    """Chinese refusal when a per-town ``setting`` names a region that is not a town."""
    if setting.town_id and setting.town.level != Region.Level.TOWN:
        return f"{what}按乡镇/街道设置，“{setting.town.name}”是{setting.town.get_level_display()}"
    return None


class CareObject(SealedIdNumber):
    Kind = CareKind

    grid = models.ForeignKey(
        Grid, verbose_name="所属网格", on_delete=models.PROTECT, related_name="care_objects"
    )
    kind = models.CharField("对象类别", max_length=20, choices=CareKind.choices)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True, help_text="不公开")
    address = models.CharField("居住地址", max_length=200, blank=True, help_text="不公开")
    notes = models.TextField("需求与情况", blank=True)
    active = models.BooleanField("在册", default=True, help_text="取消勾选后不再提醒走访")
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "关爱对象"
        verbose_name_plural = "关爱对象"
        ordering = ["grid", "kind", "name", "id"]
        permissions = [("view_full_care_id_number", "查看关爱对象完整身份证号")]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


class VisitCadence(models.Model):
    """A town's own visit interval for one kind; ``DEFAULT_CADENCE_DAYS`` otherwise."""

    town = models.ForeignKey(
        Region,
        verbose_name="乡镇/街道",
        on_delete=models.CASCADE,
        related_name="visit_cadences",
        limit_choices_to={"level": Region.Level.TOWN},
    )
    kind = models.CharField("对象类别", max_length=20, choices=CareKind.choices)
    days = models.PositiveSmallIntegerField("走访周期（天）")

    class Meta:
        verbose_name = "走访周期"
        verbose_name_plural = "走访周期"
        ordering = ["town", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["town", "kind"], name="care_cadence_unique_town_kind")
        ]

    def __str__(self):
        return f"{self.town} {self.get_kind_display()} 每{self.days}天"

    MAX_DAYS = 366

    def clean(self):
        super().clean()
        errors = {}
        if problem := town_level_problem(self, "走访周期"):
            errors["town"] = problem
        if self.days is not None and not (1 <= self.days <= self.MAX_DAYS):
            errors["days"] = f"走访周期必须在1到{self.MAX_DAYS}天之间"
        if errors:
            raise ValidationError(errors)


class Visit(models.Model):
    care_object = models.ForeignKey(
        CareObject, verbose_name="关爱对象", on_delete=models.CASCADE, related_name="visits"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="care_visits",
    )
    visited_at = models.DateTimeField("走访时间", default=timezone.now, db_index=True)
    found_well = models.BooleanField("情况良好", default=True)
    needs = models.TextField("发现需求", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="转办案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_visits",
    )
    client_token = models.CharField(
        "提交标识", max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["care_object", "visited_at"])]

    def __str__(self):
        local = timezone.localtime(self.visited_at)
        return (
            f"{local.year}年{local.month}月{local.day}日{local:%H:%M} 走访 {self.care_object.name}"
        )


class Round(models.Model):
    """One worker's patrol of one grid on one (Asia/Shanghai) day.

    Cases raised on the way are not stored here: they are the cases the worker
    registered for this grid between start and finish (``services.round_cases``),
    so a case reported from the field counts wherever it was typed.
    """

    grid = models.ForeignKey(
        Grid, verbose_name="巡查网格", on_delete=models.PROTECT, related_name="rounds"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="巡查人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="care_rounds",
    )
    date = models.DateField("巡查日期", db_index=True)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    notes = models.TextField("巡查情况", blank=True)
    client_token = models.CharField(
        "提交标识", max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "巡查记录"
        verbose_name_plural = "巡查记录"
        ordering = ["-date", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "worker", "date"], name="care_round_one_per_worker_grid_day"
            )
        ]

    def __str__(self):
        return f"{self.date.year}年{self.date.month}月{self.date.day}日 {self.grid.name} 巡查"

    @property
    def is_finished(self):
        return self.finished_at is not None


class GridRankingWeights(models.Model):
    """How a town weighs the five monthly figures into its 星级网格 ranking (``figures``)."""

    town = models.OneToOneField(
        Region,
        verbose_name="乡镇/街道",
        on_delete=models.CASCADE,
        related_name="grid_ranking_weights",
        limit_choices_to={"level": Region.Level.TOWN},
    )
    rounds = models.PositiveSmallIntegerField("巡查权重", default=20)
    visit_completion = models.PositiveSmallIntegerField("走访完成率权重", default=30)
    cases_reported = models.PositiveSmallIntegerField("事件上报权重", default=20)
    closed_on_time = models.PositiveSmallIntegerField("按期办结率权重", default=20)
    satisfaction = models.PositiveSmallIntegerField("满意率权重", default=10)

    WEIGHT_FIELDS = (
        "rounds",
        "visit_completion",
        "cases_reported",
        "closed_on_time",
        "satisfaction",
    )

    class Meta:
        verbose_name = "网格评星权重"
        verbose_name_plural = "网格评星权重"
        ordering = ["town"]

    def __str__(self):
        return f"{self.town} 网格评星权重"

    def clean(self):
        super().clean()
        errors = {}
        if problem := town_level_problem(self, "评星权重"):
            errors["town"] = problem
        if sum(getattr(self, f) or 0 for f in self.WEIGHT_FIELDS) == 0:
            errors["rounds"] = "各项权重不能全部为0"
        if errors:
            raise ValidationError(errors)


class VisitWarning(models.Model):
    """The sent-log of overdue warnings: one per care object, day and level, never twice."""

    class Level(models.TextChoices):
        OVERDUE = "overdue", "逾期未走访"
        OVERDUE_TWICE = "overdue_twice", "连续两个周期未走访"

    care_object = models.ForeignKey(
        CareObject, verbose_name="关爱对象", on_delete=models.CASCADE, related_name="warnings"
    )
    date = models.DateField("提醒日期")
    level = models.CharField("提醒类型", max_length=16, choices=Level.choices)
    recipients = models.TextField("收件人", blank=True)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "走访逾期提醒"
        verbose_name_plural = "走访逾期提醒"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_object", "date", "level"], name="care_warning_once_per_day"
            )
        ]

    def __str__(self):
        return f"{self.date.year}年{self.date.month}月{self.date.day}日 {self.get_level_display()}"
