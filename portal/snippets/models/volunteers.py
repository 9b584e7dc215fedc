"""Volunteers, their teams, service records and the points ledger.

Totals (hours, points balance) are always computed from the records, never typed.
The ID number is stored encrypted with a keyed hash for lookups (``SealedIdNumber``,
``portal.snippets.pii``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase

from .grids import Grid
from .regions import Region
from .sealed import SealedIdNumber


class VolunteerTeam(models.Model):
    name = models.CharField("队伍名称", max_length=100, unique=True)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="teams"
    )
    description = models.TextField("简介", blank=True)

    class Meta:
        verbose_name = "志愿服务队"
        verbose_name_plural = "志愿服务队"
        ordering = ["name"]

    def __str__(self):
        return self.name


class VolunteerSkill(TaggedItemBase):
    content_object = ParentalKey(
        "snippets.Volunteer", on_delete=models.CASCADE, related_name="tagged_skills"
    )


class Volunteer(SealedIdNumber, ClusterableModel):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", "中共党员"
        CPC_PROBATIONARY = "cpc_prob", "中共预备党员"
        CYL = "cyl", "共青团员"
        OTHER_PARTY = "other_party", "民主党派"
        MASSES = "masses", "群众"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=12, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    grid = models.ForeignKey(
        Grid, verbose_name="所属网格", on_delete=models.PROTECT, related_name="volunteers"
    )
    teams = models.ManyToManyField(
        VolunteerTeam, verbose_name="服务队伍", blank=True, related_name="members"
    )
    skills = ClusterTaggableManager(
        "专业特长", through=VolunteerSkill, blank=True, help_text="多个特长用逗号分隔"
    )
    registration_date = models.DateField("注册日期", null=True, blank=True)
    active = models.BooleanField("在册", default=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ["-registration_date", "id"]
        permissions = [("view_full_id_number", "查看完整身份证号")]

    def __str__(self):
        return f"{self.name}（{self.id_number_masked}）"


class ServiceRecord(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.CASCADE, related_name="service_records"
    )
    date = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=6, decimal_places=1)
    activity = models.CharField("服务活动", max_length=200)
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name="组织队伍",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_records",
    )
    verifier = models.CharField("核实人", max_length=50)

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date.year}年{self.date.month}月{self.date.day}日 {self.activity}（{self.hours}小时）"

    # One activity rarely exceeds a day; larger figures are typing errors.
    MAX_HOURS = 24

    def clean(self):
        super().clean()
        errors = {}
        if self.hours is not None and not (0 < self.hours <= self.MAX_HOURS):
            errors["hours"] = f"服务时长必须大于0且不超过{self.MAX_HOURS}小时"
        if self.date and self.date > timezone.localdate():
            errors["date"] = "服务日期不能晚于今天"
        if errors:
            raise ValidationError(errors)


class PointsEntry(models.Model):
    """One line of a 道德银行/时间银行 ledger; the balance is the signed sum."""

    class Kind(models.TextChoices):
        EARNED = "earned", "获得"
        REDEEMED = "redeemed", "兑换"

    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.CASCADE, related_name="points"
    )
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    points = models.PositiveIntegerField("积分")
    reason = models.CharField("事由", max_length=200)

    class Meta:
        verbose_name = "积分记录"
        verbose_name_plural = "积分记录"
        ordering = ["-date", "-id"]

    def __str__(self):
        sign = "+" if self.kind == self.Kind.EARNED else "-"
        return f"{self.date.year}年{self.date.month}月{self.date.day}日 {sign}{self.points} {self.reason}"

    @property
    def signed_points(self):
        return self.points if self.kind == self.Kind.EARNED else -self.points

    def clean(self):
        super().clean()
        from ..volunteering import redeem_problem

        if self.points == 0:
            raise ValidationError({"points": "积分必须大于0"})
        if self.kind == self.Kind.REDEEMED and self.volunteer_id and self.points:
            problem = redeem_problem(self.volunteer, self.points, replacing=self.pk)
            if problem:
                raise ValidationError({"points": problem})


class CertificateIssue(models.Model):
    """One issuance of a 志愿服务记录证明, kept as issued.

    The law on volunteer records says certificates are issued free on request and
    records must be true and complete, so every issuance is stored with a
    snapshot of what the certificate said (totals and records) under a unique
    serial number; reprinting shows the same content.
    """

    serial = models.CharField("证明编号", max_length=30, unique=True)
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name="志愿者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name="出具队伍",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    issuing_body = models.CharField("出具单位", max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("出具时间", default=timezone.now)
    # Region of the volunteer at issuance: keeps the record in scope after moves.
    region = models.ForeignKey(
        Region, verbose_name="所属区划", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer_name = models.CharField("姓名", max_length=50)
    id_number_masked = models.CharField("身份证号", max_length=18)
    total_hours = models.DecimalField("累计服务时长（小时）", max_digits=9, decimal_places=1)
    record_count = models.PositiveIntegerField("服务记录条数")
    records = models.JSONField("服务记录", default=list)
    purpose = models.CharField("用途", max_length=100, blank=True)

    class Meta:
        verbose_name = "志愿服务记录证明"
        verbose_name_plural = "志愿服务记录证明"
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.serial} {self.volunteer_name}"

    @property
    def issued_on(self) -> datetime.date:
        return timezone.localtime(self.issued_at).date()
