"""The case register: categories, cases and the event log of their lifecycle.

State changes go through ``portal.cases.services.transition`` only, so the
admin, the API, the importer and the tests share one set of rules.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.snippets.models import Grid, Region


class CaseCategory(models.Model):
    name = models.CharField("类别名称", max_length=50, unique=True)
    code = models.SlugField("类别代码", max_length=30, unique=True)
    deadline_days = models.PositiveIntegerField("办理时限（天）", default=15)
    is_dispute = models.BooleanField("矛盾纠纷类", default=False, help_text="计入矛盾纠纷化解率")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "案件类别"
        verbose_name_plural = "案件类别"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Case(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "受理"
        DISPATCHED = "dispatched", "分拨"
        HANDLING = "handling", "处置"
        CLOSED = "closed", "办结"
        VISITED = "visited", "回访"
        RATED = "rated", "评价"

    # Statuses at or after 办结: the case counts as closed.
    CLOSED_STATUSES = (Status.CLOSED, Status.VISITED, Status.RATED)

    class Source(models.TextChoices):
        GRID_WORKER = "grid_worker", "网格员上报"
        HOTLINE = "hotline_12345", "12345热线"
        VISIT = "visit", "群众来访"
        SNAPSHOT = "snapshot", "随手拍"
        SUPERIOR = "superior", "上级交办"
        DEPARTMENT = "department", "部门移交"
        ONLINE = "online", "网上诉求"

    class Tier(models.TextChoices):
        GRID = "grid", "网格"
        VILLAGE = "village", "村/社区"
        TOWN = "town", "乡镇/街道"
        COUNTY = "county", "区县"

    TIER_ORDER = [Tier.GRID, Tier.VILLAGE, Tier.TOWN, Tier.COUNTY]

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    number = models.CharField("案件编号", max_length=30, unique=True)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("事件描述")
    category = models.ForeignKey(
        CaseCategory, verbose_name="事件类别", on_delete=models.PROTECT, related_name="cases"
    )
    source = models.CharField("事件来源", max_length=20, choices=Source.choices)
    grid = models.ForeignKey(
        Grid, verbose_name="所属网格", on_delete=models.PROTECT, related_name="cases"
    )
    # Denormalised from grid.region so that scope filters and facets need no join.
    village = models.ForeignKey(
        Region,
        verbose_name="所属村（社区）",
        on_delete=models.PROTECT,
        related_name="cases",
        editable=False,
    )
    place = models.CharField("发生地点", max_length=200, blank=True)
    reporter_name = models.CharField("反映人姓名", max_length=50, blank=True)
    reporter_phone = models.CharField("反映人电话", max_length=20, blank=True)
    discoverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发现人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discovered_cases",
    )
    handler_unit = models.CharField("处置单位", max_length=100, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    reported_at = models.DateTimeField("上报时间", default=timezone.now, db_index=True)
    deadline = models.DateTimeField("办理期限", db_index=True)
    status = models.CharField(
        "当前状态", max_length=12, choices=Status.choices, default=Status.ACCEPTED, db_index=True
    )
    resolution = models.TextField("处置结果", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction.choices, blank=True
    )
    mediated = models.BooleanField(
        "调解成功", null=True, blank=True, help_text="矛盾纠纷类案件办结时填写"
    )
    tier = models.CharField("处置层级", max_length=10, choices=Tier.choices, default=Tier.GRID)
    is_public = models.BooleanField("公开", default=False)
    public_summary = models.TextField(
        "公开摘要", blank=True, help_text="面向群众的匿名摘要，不得含姓名、电话、门牌号"
    )
    # Bumped by every lifecycle step (``services.transition``). A lifecycle form
    # carries the revision it was drawn from, so a click on a stale page is
    # refused instead of acting on a case that has moved on (even when it has
    # come back to the same status, e.g. 分拨 → 处置 → 退回 → 分拨).
    revision = models.PositiveIntegerField("流转版本", default=0, editable=False)
    # Set by a channel that may send the same report twice (a resident's form
    # posted again, a phone resending an offline draft, an Open311 client
    # retrying): ``services.create_case_once`` returns the case already made.
    submission_key = models.CharField(
        "提交标识", max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The resident's own channel (portal.cases.reporting / tracking): the query
    # code is stored only as a keyed hash, the email is private like the phone.
    tracking_code_hash = models.CharField("查询码摘要", max_length=64, blank=True, editable=False)
    reporter_email = models.EmailField("反映人邮箱", blank=True)
    rating_comment = models.TextField("群众评价意见", blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["is_public", "reported_at"]),
        ]
        permissions = [("transition_case", "流转案件")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES

    @property
    def is_overdue(self):
        return not self.is_closed and self.deadline is not None and self.deadline < timezone.now()


class CaseNumberSequence(models.Model):
    """The last case-number sequence handed out for one year (``AJ<year><sequence>``).

    The row is the lock that serialises number allocation: ``services`` updates
    it (which locks it) before reading it, inside the transaction that inserts
    the case, so two concurrent registrations can never draw the same number.
    """

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    last = models.PositiveBigIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "案件编号序列"
        verbose_name_plural = "案件编号序列"

    def __str__(self):
        return f"AJ{self.year}：{self.last}"


class CaseEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "受理"
        DISPATCH = "dispatch", "分拨"
        HANDLE = "handle", "处置"
        CLOSE = "close", "办结"
        VISIT = "visit", "回访"
        RATE = "rate", "评价"
        RETURN = "return", "退回"
        ESCALATE = "escalate", "上报升级"
        IMPORT = "import", "导入"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("动作", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_events",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    from_status = models.CharField("原状态", max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Case.Status.choices)
    from_tier = models.CharField("原层级", max_length=10, choices=Case.Tier.choices, blank=True)
    to_tier = models.CharField("新层级", max_length=10, choices=Case.Tier.choices, blank=True)
    # A one-line summary the service writes (who it went to, the resolution, the
    # rating…) so the timeline reads on its own; ``note`` is what the user typed.
    detail = models.CharField("办理情况", max_length=300, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "案件流转记录"
        verbose_name_plural = "案件流转记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def _photo_storage():
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.CASE_PHOTO_ROOT, base_url=None)


class CasePhoto(models.Model):
    """A photo attached to a case, re-encoded and stripped of EXIF on the way in.

    Stored outside MEDIA_ROOT (``CASE_PHOTO_ROOT``) and served only by
    ``portal.cases.photo_views``: staff who may see the case see it; the public
    only when both the case and the photo are marked public.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", storage=_photo_storage, upload_to="%Y/%m/", max_length=200)
    width = models.PositiveIntegerField("宽", default=0)
    height = models.PositiveIntegerField("高", default=0)
    sha256 = models.CharField("内容摘要", max_length=64, editable=False)
    is_public = models.BooleanField("公开", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "案件照片"
        verbose_name_plural = "案件照片"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="case_photo_once_per_case")
        ]

    def __str__(self):
        return f"{self.case.number} 照片 {self.pk}"
