"""The import history: one ``ImportJob`` per uploaded file.

A job carries a file from upload through preview and confirmation to its
result, and stays afterwards as the record of who loaded what and when. Its
progress fields are what the admin's status page polls while a large file is
processed in the background.

A job being checked or imported holds a *lease*: the process doing the work
(``worker``) renews ``lease_expires_at`` from a heartbeat thread. If that
process dies (``kill -9``, out of memory, a server restart) the lease runs out
and the job is recovered by ``imports.jobs.recover_interrupted`` — whichever
code loads it next (``from_db``: the job page, its status poll, the API, the
history), the worker at start and ``prune_import_files``. A job is never shown
as busy forever.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        GRIDS = "grids", "网格"
        VOLUNTEERS = "volunteers", "志愿者"
        CASES = "cases", "案件"
        GRID_STAFF = "grid_staff", "网格工作人员"
        REGIONS = "regions", "行政区划"
        SERVICES = "services", "志愿服务记录"
        POINTS = "points", "积分记录"
        CARE_OBJECTS = "care_objects", "关爱对象"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        ANALYSING = "analysing", "正在检查"
        PREVIEW = "preview", "待确认"
        REFUSED = "refused", "已拒绝"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "已导入"
        CHECKED = "checked", "已检查（试运行）"
        CANCELLED = "cancelled", "已取消"
        FAILED = "failed", "失败"

    # Statuses in which a worker is (or should be) busy with the job.
    BUSY_STATUSES = (Status.QUEUED, Status.ANALYSING, Status.IMPORTING)
    FINAL_STATUSES = (Status.REFUSED, Status.DONE, Status.CHECKED, Status.CANCELLED, Status.FAILED)

    class Source(models.TextChoices):
        ADMIN = "admin", "管理后台"
        COMMAND = "command", "命令行"

    kind = models.CharField("数据类型", max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ADMIN)
    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    # Path inside the private import storage (never under MEDIA_URL); emptied
    # once the job no longer needs the upload.
    stored_file = models.CharField("暂存文件", max_length=255, blank=True)
    error_report = models.CharField("错误报告", max_length=255, blank=True)
    skip_invalid = models.BooleanField("跳过错误行", default=False)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # progress, polled by the status page
    stage = models.CharField("当前步骤", max_length=40, blank=True)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)

    # counts from the latest analysis or import
    new_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    error_count = models.PositiveIntegerField("错误行", default=0)
    skipped_count = models.PositiveIntegerField("跳过", default=0)

    # The preview: header row, unknown columns, new regions, sample rows of each
    # kind and the list of errors (row, column, message). Never holds full ID
    # numbers; see ``imports.importers.base``.
    report = models.JSONField("检查结果", default=dict, blank=True)
    task_id = models.CharField("后台任务", max_length=64, blank=True)

    # the lease of the process working on the job (see the module docstring)
    worker = models.CharField("处理进程", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    lease_expires_at = models.DateTimeField("租约到期", null=True, blank=True, db_index=True)
    interrupted_at = models.DateTimeField("中断时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}导入 {self.file_name}（{self.get_status_display()}）"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Load a job, recovering it first if the process working on it has died.

        Done here, not in each view, so that every page and API that shows a job
        shows it as it really is.
        """
        job = super().from_db(db, field_names, values)
        if job.lease_has_expired():
            from .jobs import recover_interrupted

            recover_interrupted(job)
        return job

    def lease_has_expired(self, now=None):
        if "lease_expires_at" not in self.__dict__ or "status" not in self.__dict__:
            return False  # deferred fields: nothing to judge by
        if self.lease_expires_at is None or self.status not in self.BUSY_STATUSES:
            return False
        return self.lease_expires_at < (now or timezone.now())

    @property
    def is_busy(self):
        return self.status in self.BUSY_STATUSES

    @property
    def is_final(self):
        return self.status in self.FINAL_STATUSES

    @property
    def percent(self):
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
