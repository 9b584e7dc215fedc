"""python manage.py prune_import_files [--days 7]

Uploads that were previewed but never confirmed or cancelled, and error
reports, hold personal data; this deletes those older than ``--days`` from the
private import storage (the job stays in the history). Run it daily (cron).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from imports import storage
from imports.models import ImportJob


class Command(BaseCommand):
    help = "删除超过保留期的待确认上传文件和错误报告（导入记录保留）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7 天）")

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=options["days"])
        old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(
            status__in=ImportJob.BUSY_STATUSES
        )
        uploads = reports = 0
        for job in old.exclude(stored_file="", error_report=""):
            if job.stored_file:
                storage.delete(job.stored_file)
                uploads += 1
            if job.error_report:
                storage.delete(job.error_report)
                reports += 1
            if job.status == ImportJob.Status.PREVIEW:
                job.status = ImportJob.Status.CANCELLED
                job.message = "超过保留期未确认，上传的文件已删除"
                job.finished_at = timezone.now()
            job.stored_file = job.error_report = ""
            job.save()
        self.stdout.write(f"已删除 {uploads} 个上传文件、{reports} 份错误报告")
