"""python manage.py prune_import_files [--days 7]

Uploads and error reports hold personal data (plaintext ID numbers), so the
private import storage must hold nothing that no job needs. Run it daily (cron).
In order, it

1. recovers jobs whose worker died (an expired lease, see ``imports.jobs``), so
   they are no longer shown as busy;
2. deletes the upload of every job that has ended (a crash between the end of
   a job and the deletion of its file must not leave the file behind);
3. deletes, for jobs created more than ``--days`` ago, the error report and the
   upload of a job never confirmed (the job is then cancelled);
4. deletes orphans: files in the storage that no job refers to (older than
   ``--orphan-minutes``, so that an upload being stored right now is spared);
5. deletes case photos no ``CasePhoto`` row names, as old as in 4 (files a
   rolled-back transaction left behind, ``portal.cases.photos.prune_orphan_photos``).

The jobs themselves stay in the history.
"""

import datetime
import time

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from imports import storage
from imports.jobs import recover_interrupted_jobs
from imports.models import ImportJob
from portal.cases.photos import prune_orphan_photos

STORAGE_FOLDERS = ("uploads", "reports")


class Command(BaseCommand):
    help = (
        "清理导入暂存区：中断的任务、已结束任务的上传文件、过期文件和无主文件（导入记录保留）；"
        "并删除无案件记录的照片文件"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7 天）")
        parser.add_argument(
            "--orphan-minutes",
            type=int,
            default=60,
            help="无主文件至少存在多少分钟才删除（默认 60 分钟）",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        recovered = recover_interrupted_jobs(now)
        ended = self.delete_uploads_of_ended_jobs()
        uploads, reports = self.delete_expired(now - datetime.timedelta(days=options["days"]))
        orphans = self.delete_orphans(options["orphan_minutes"] * 60)
        photos = prune_orphan_photos(options["orphan_minutes"] * 60)
        self.stdout.write(
            f"已恢复 {recovered} 个中断的导入任务；已删除 {ended + uploads} 个上传文件、"
            f"{reports} 份错误报告、{orphans} 个无主文件、{photos} 张无主案件照片"
        )

    def delete_uploads_of_ended_jobs(self):
        count = 0
        for job in ImportJob.objects.filter(status__in=ImportJob.FINAL_STATUSES).exclude(
            stored_file=""
        ):
            storage.delete(job.stored_file)
            ImportJob.objects.filter(pk=job.pk).update(stored_file="")
            count += 1
        return count

    def delete_expired(self, cutoff):
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
        return uploads, reports

    def delete_orphans(self, min_age_seconds):
        root = storage.private_root()
        known = set()
        for stored_file, error_report in ImportJob.objects.filter(
            ~Q(stored_file="") | ~Q(error_report="")
        ).values_list("stored_file", "error_report"):
            known.update(name for name in (stored_file, error_report) if name)
        cutoff = time.time() - min_age_seconds
        count = 0
        for folder in STORAGE_FOLDERS:
            directory = root / folder
            if not directory.is_dir():
                continue
            for path in directory.iterdir():
                name = f"{folder}/{path.name}"
                if not path.is_file() or name in known or path.stat().st_mtime > cutoff:
                    continue
                path.unlink(missing_ok=True)
                count += 1
        return count
