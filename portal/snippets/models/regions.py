"""The administrative tree 区县 → 乡镇/街道 → 村/社区 and who is assigned where.

The tree is shallow (three levels) so it is a plain parent link rather than a
materialised path library; ``descendant_ids`` walks it level by level.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", "区县"
        TOWN = "town", "乡镇/街道"
        VILLAGE = "village", "村/社区"

    LEVEL_DEPTH = {Level.COUNTY: 0, Level.TOWN: 1, Level.VILLAGE: 2}

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
