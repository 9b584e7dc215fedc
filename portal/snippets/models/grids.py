"""Grids (网格) and the staff posted on each grid's public board.

A grid is edited with Wagtail's revisions, draft state, locking and workflow so
that a change to what identifies it on the map (code, boundary, region) passes
the town's admins first (see ``portal.snippets.models.workflow``) and the
history shows who changed what. Only live grids appear on public pages.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from ..boundaries import boundary_problem
from ..phones import clean_phone_attribute
from .regions import Region

grid_code_validator = RegexValidator(r"^\d{6,20}$", "网格编码必须是6到20位数字")


def normalise_grid_code(value):
    """Half-width digits with no spaces: rosters often carry full-width codes."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().replace(" ", "")


class Grid(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    class GridType(models.TextChoices):
        URBAN = "urban", "城市网格"
        RURAL = "rural", "农村网格"
        SPECIAL = "special", "专属网格"

    # Provincial norms: above these a grid is flagged, never refused.
    HOUSEHOLD_NORM = {GridType.URBAN: 500, GridType.RURAL: 300}

    # The fields whose change needs the town admins' approval.
    SENSITIVE_FIELDS = ("code", "boundary", "region")

    code = models.CharField(
        "网格编码",
        max_length=20,
        unique=True,
        validators=[grid_code_validator],
        help_text="村（社区）12位统计用区划代码加3位顺序号，共6–20位数字",
        error_messages={"unique": "该网格编码已被其他网格使用"},
    )
    name = models.CharField("网格名称", max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name="所属村（社区）",
        on_delete=models.PROTECT,
        related_name="grids",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    grid_type = models.CharField(
        "网格类型", max_length=10, choices=GridType.choices, default=GridType.URBAN
    )
    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("人口数", default=0)
    boundary = models.JSONField(
        "边界（GeoJSON）",
        null=True,
        blank=True,
        help_text="GeoJSON 的 Polygon 或 MultiPolygon，坐标为[经度, 纬度]",
    )
    # What a resident recognises their grid by (the code and number mean nothing to
    # them): the 组, 小区, 楼栋 and 街巷 it covers. Public, shown on /grids/ and searched.
    coverage = models.TextField(
        "覆盖范围",
        blank=True,
        max_length=1000,
        help_text="本网格包含的村民小组、小区、楼栋、街巷，用顿号分隔，如：幸福小区1-6栋、建设路东段、三组",
    )
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        super().clean()
        self.code = normalise_grid_code(self.code)
        errors = {}
        if self.region_id:
            region = self.region
            if region.level != Region.Level.VILLAGE:
                errors["region"] = (
                    f"网格必须属于村或社区，“{region.name}”是{region.get_level_display()}"
                )
        problem = boundary_problem(self.boundary)
        if problem:
            errors["boundary"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def household_norm(self):
        return self.HOUSEHOLD_NORM.get(self.grid_type)

    @property
    def is_oversized(self):
        norm = self.household_norm
        return norm is not None and self.households > norm

    @property
    def oversize_message(self):
        """The warning shown in lists and on the edit page, or "" for a grid within the norm."""
        if not self.is_oversized:
            return ""
        return (
            f"{self.get_grid_type_display()}户数{self.households}户，"
            f"超过省定标准（不超过{self.household_norm}户），建议拆分网格"
        )


class GridStaff(models.Model):
    """A person on a grid's public board; name and work phone are public by design."""

    class Role(models.TextChoices):
        LEADER = "leader", "网格长"
        FULL_TIME = "full_time", "专职网格员"
        PART_TIME = "part_time", "兼职网格员"
        INSTRUCTOR = "instructor", "网格指导员"

    name = models.CharField("姓名", max_length=50)
    role = models.CharField("岗位", max_length=12, choices=Role.choices)
    work_phone = models.CharField(
        "工作电话", max_length=20, blank=True, help_text="公开在网格公示牌上的工作电话"
    )
    party_member = models.BooleanField("中共党员", default=False)
    full_time = models.BooleanField("专职", default=True)
    grids = models.ManyToManyField(
        Grid,
        verbose_name="负责网格",
        related_name="staff",
        help_text="网格指导员可负责多个网格",
    )

    class Meta:
        verbose_name = "网格工作人员"
        verbose_name_plural = "网格工作人员"
        ordering = ["role", "name"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    def clean(self):
        super().clean()
        clean_phone_attribute(self, "work_phone")
