"""The life of an ``ImportJob``: upload → check (preview) → confirm → import.

The admin views and the background tasks call these functions; the command
line runs the importer directly and records a job at the end. Small files are
processed inside the request; files with more rows than
``settings.IMPORT_BACKGROUND_ROWS`` go to a django-tasks task (database
backend: ``manage.py db_worker`` must be running), and the admin polls the
job's progress fields.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import storage
from .importers import importer_for
from .models import ImportJob
from .reading import estimate_rows
from .reports import write_error_report
from .safety import FileRefused, Limits, check_file, check_file_size

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_ROWS = 5000
# Errors kept on the job for the preview page; the error report holds them all.
STORED_ERROR_LIMIT = 5000

KIND_PERMISSIONS = {
    "grids": ("snippets.add_grid", "snippets.change_grid"),
    "volunteers": ("snippets.add_volunteer", "snippets.change_volunteer"),
    "cases": ("cases.add_case", "cases.change_case"),
}
EXPORT_PERMISSIONS = {
    "grids": "snippets.view_grid",
    "volunteers": "snippets.view_volunteer",
    "cases": "cases.view_case",
}


def background_threshold():
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS)


def can_import(user, kind):
    return user.is_active and user.has_perms(KIND_PERMISSIONS[kind])


def can_export(user, kind):
    return user.is_active and user.has_perm(EXPORT_PERMISSIONS[kind])


def importable_kinds(user):
    return [kind for kind in KIND_PERMISSIONS if can_import(user, kind)]


def can_see_job(user, job):
    return user.is_superuser or (job.user_id is not None and job.user_id == user.pk)


def jobs_visible_to(user):
    jobs = ImportJob.objects.select_related("user")
    return jobs if user.is_superuser else jobs.filter(user=user)


class JobProgress:
    """Progress callback that writes the job's stage and row counts, at most twice a second.

    Inside the import's transaction the numbers could not be seen by the status
    page anyway (and on SQLite a second connection could not write), so the
    write stage is shown as a whole.
    """

    def __init__(self, job):
        self.job = job
        self.last = 0.0
        self.stage = None

    def __call__(self, stage, done, total):
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.5:
            return
        if connection.in_atomic_block:
            return
        self.stage, self.last = stage, now
        fields = {"stage": stage, "rows_done": done}
        if total:
            fields["rows_total"] = total
        ImportJob.objects.filter(pk=self.job.pk).update(**fields)


def create_job(*, kind, user, upload, file_name, skip_invalid=False, source="admin"):
    """Store the upload privately and create its job; refuse at once what is plainly wrong."""
    importer_for(kind)
    job = ImportJob.objects.create(
        kind=kind,
        user=user,
        source=source,
        file_name=Path(file_name).name[:255],
        file_size=getattr(upload, "size", 0) or 0,
        skip_invalid=skip_invalid,
        status=ImportJob.Status.QUEUED,
    )
    limits = Limits.from_settings()
    try:
        check_file_size(job.file_size, limits)
        job.stored_file = storage.save_upload(upload, Path(file_name).suffix.lower())
        path = storage.path_of(job.stored_file)
        fmt = check_file(path, job.file_name, limits)
        job.rows_total = estimate_rows(path, fmt)
    except FileRefused as exc:
        _refuse(job, str(exc))
        return job
    job.save(update_fields=["stored_file", "rows_total"])
    return job


def _refuse(job, message):
    storage.delete(job.stored_file)
    job.stored_file = ""
    job.status = ImportJob.Status.REFUSED
    job.message = message
    job.report = {"errors": [{"row": None, "column": "", "message": message}], "error_total": 1}
    job.finished_at = timezone.now()
    job.save()


def runs_in_background(job):
    return job.rows_total > background_threshold()


def start_analysis(job):
    """Check the file (a dry run) now or in the background, depending on its size."""
    if job.status != ImportJob.Status.QUEUED:
        return job
    if runs_in_background(job):
        from .tasks import analyse_import_job

        job.stage = "等待后台处理"
        job.save(update_fields=["stage"])
        result = analyse_import_job.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        job.refresh_from_db()
        return job
    return analyse(job)


def start_import(job, *, skip_invalid=None):
    """Import a previewed job now or in the background."""
    if job.status != ImportJob.Status.PREVIEW:
        return job
    if skip_invalid is not None:
        job.skip_invalid = skip_invalid
    job.status = ImportJob.Status.IMPORTING
    job.stage = "等待后台处理" if runs_in_background(job) else "导入中"
    job.rows_done = 0
    job.save(update_fields=["status", "stage", "skip_invalid", "rows_done"])
    if runs_in_background(job):
        from .tasks import run_import_job

        result = run_import_job.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        job.refresh_from_db()
        return job
    return run_import(job)


def _run(job, *, dry_run):
    importer = importer_for(job.kind)(
        job.user, skip_invalid=job.skip_invalid, dry_run=dry_run, progress=JobProgress(job)
    )
    path = storage.path_of(job.stored_file)
    result = importer.run(path, job.file_name)
    return result, path


def _store_result(job, result, path):
    counts = result.counts
    job.new_count = counts["new"]
    job.updated_count = counts["update"]
    job.unchanged_count = counts["unchanged"]
    job.error_count = counts["error"]
    job.skipped_count = result.skipped
    job.rows_done = job.rows_total = result.rows_total
    job.report = result.as_dict(error_limit=STORED_ERROR_LIMIT)
    job.message = result.message
    if result.refused_rows:
        old_report = job.error_report
        job.error_report = storage.report_name()
        out = storage.path_of(job.error_report)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_error_report(path, job.file_name, result, out)
        storage.delete(old_report)


def analyse(job):
    job.status = ImportJob.Status.ANALYSING
    job.stage = "检查中"
    job.save(update_fields=["status", "stage"])
    try:
        result, path = _run(job, dry_run=True)
        _store_result(job, result, path)
        if result.refused and result.header_row is None:
            job.status = ImportJob.Status.REFUSED  # the file itself is unusable
            storage.delete(job.stored_file)
            job.stored_file = ""
            job.finished_at = timezone.now()
        else:
            job.status = ImportJob.Status.PREVIEW
        job.stage = ""
        job.save()
    except Exception:
        _fail(job, "检查文件时发生内部错误，未写入任何数据。请联系系统管理员查看日志")
    return job


def run_import(job):
    try:
        result, path = _run(job, dry_run=False)
        _store_result(job, result, path)
        job.status = ImportJob.Status.DONE if result.imported else ImportJob.Status.REFUSED
        job.stage = ""
        job.finished_at = timezone.now()
        storage.delete(job.stored_file)
        job.stored_file = ""
        job.save()
    except Exception:
        _fail(job, "导入时发生内部错误，本次导入已全部撤销。请联系系统管理员查看日志")
    return job


def _fail(job, message):
    logger.exception("import job %s failed", job.pk)
    storage.delete(job.stored_file)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        stage="",
        message=message,
        stored_file="",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()


def cancel(job):
    if job.status not in (ImportJob.Status.PREVIEW, ImportJob.Status.QUEUED):
        return job
    storage.delete(job.stored_file)
    job.stored_file = ""
    job.status = ImportJob.Status.CANCELLED
    job.finished_at = timezone.now()
    job.save()
    return job


def record_command_run(*, kind, user, path, result):
    """The command line's entry in the import history."""
    if result.dry_run and not result.refused:
        status = ImportJob.Status.CHECKED
    elif result.imported:
        status = ImportJob.Status.DONE
    else:
        status = ImportJob.Status.REFUSED
    path = Path(path)
    job = ImportJob(
        kind=kind,
        user=user,
        source=ImportJob.Source.COMMAND,
        file_name=path.name[:255],
        file_size=path.stat().st_size if path.exists() else 0,
        skip_invalid=result.skip_invalid,
        status=status,
        finished_at=timezone.now(),
    )
    job.save()
    _store_result_counts_only(job, result)
    return job


def _store_result_counts_only(job, result):
    counts = result.counts
    ImportJob.objects.filter(pk=job.pk).update(
        new_count=counts["new"],
        updated_count=counts["update"],
        unchanged_count=counts["unchanged"],
        error_count=counts["error"],
        skipped_count=result.skipped,
        rows_total=result.rows_total,
        rows_done=result.rows_total,
        report=result.as_dict(error_limit=STORED_ERROR_LIMIT),
        message=result.message,
    )
