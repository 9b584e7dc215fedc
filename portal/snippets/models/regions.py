"""The administrative tree 区县 → 乡镇/街道 → 村/社区 and who is assigned where.

The tree is shallow (three levels) so it is a plain parent link rather than a
materialised path library; ``descendant_ids`` walks it level by level.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", "区县"
        TOWN = "town", "乡镇/街道"
        VILLAGE = "village", "村/社区"

    LEVEL_DEPTH = {Level.COUNTY: 0, Level.TOWN: 1, Level.VILLAGE: 2}
    # Which level a region's parent must be at (a county has none).
    PARENT_LEVEL = {Level.TOWN: Level.COUNTY, Level.VILLAGE: Level.TOWN}

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        "统计用区划代码", max_length=12, blank=True, db_index=True, help_text="12位统计用区划代码"
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_until = models.DateField(
        "失效日期", null=True, blank=True, help_text="撤并后停止使用的日期"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["level", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        wanted_parent = self.PARENT_LEVEL.get(self.level)
        if wanted_parent is None and self.parent_id:
            errors["parent"] = "区县是最上级区划，不能再选择上级区划"
        elif wanted_parent is not None:
            if not self.parent_id:
                errors["parent"] = f"{self.get_level_display()}必须选择上级区划"
            elif self.parent.level != wanted_parent:
                errors["parent"] = (
                    f"{self.get_level_display()}的上级必须是{self.Level(wanted_parent).label}，"
                    f"“{self.parent.name}”是{self.parent.get_level_display()}"
                )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = "上级区划不能是自己"
        if (
            self.effective_from
            and self.effective_until
            and self.effective_until <= self.effective_from
        ):
            errors["effective_until"] = "失效日期必须晚于生效日期"
        if self.merged_into_id:
            target = self.merged_into
            if self.pk and target.pk == self.pk:
                errors["merged_into"] = "不能并入自己"
            elif target.level != self.level:
                errors["merged_into"] = (
                    f"只能并入同级区划，“{target.name}”是{target.get_level_display()}"
                )
            elif not self.effective_until:
                errors.setdefault("effective_until", "已并入其他区划的，请填写失效日期")
        if errors:
            raise ValidationError(errors)

    def is_effective(self, on=None):
        on = on or timezone.localdate()
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_until and on >= self.effective_until)

    @property
    def full_name(self):
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class StaffRegion(models.Model):
    """Assigns a staff user to a region; they see that region and everything below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="staff_regions",
    )
    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.CASCADE, related_name="staff"
    )

    class Meta:
        verbose_name = "工作人员辖区"
        verbose_name_plural = "工作人员辖区"
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="staffregion_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.region}"
