"""Grids (网格) and the staff posted on each grid's public board."""

from django.core.validators import RegexValidator
from django.db import models

from .regions import Region

grid_code_validator = RegexValidator(r"^\d{6,20}$", "网格编码必须是6到20位数字")


class Grid(models.Model):
    class GridType(models.TextChoices):
        URBAN = "urban", "城市网格"
        RURAL = "rural", "农村网格"
        SPECIAL = "special", "专属网格"

    # Provincial norms: above these a grid is flagged, never refused.
    HOUSEHOLD_NORM = {GridType.URBAN: 500, GridType.RURAL: 300}

    code = models.CharField(
        "网格编码", max_length=20, unique=True, validators=[grid_code_validator]
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
    boundary = models.JSONField("边界（GeoJSON）", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def household_norm(self):
        return self.HOUSEHOLD_NORM.get(self.grid_type)

    @property
    def is_oversized(self):
        norm = self.household_norm
        return norm is not None and self.households > norm


class GridStaff(models.Model):
    """A person on a grid's public board; name and work phone are public by design."""

    class Role(models.TextChoices):
        LEADER = "leader", "网格长"
        FULL_TIME = "full_time", "专职网格员"
        PART_TIME = "part_time", "兼职网格员"
        INSTRUCTOR = "instructor", "网格指导员"

    name = models.CharField("姓名", max_length=50)
    role = models.CharField("岗位", max_length=12, choices=Role.choices)
    work_phone = models.CharField("工作电话", max_length=20, blank=True)
    party_member = models.BooleanField("中共党员", default=False)
    full_time = models.BooleanField("专职", default=True)
    grids = models.ManyToManyField(Grid, verbose_name="负责网格", related_name="staff")

    class Meta:
        verbose_name = "网格工作人员"
        verbose_name_plural = "网格工作人员"
        ordering = ["role", "name"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"
