"""The life of an ``ImportJob``: upload → check (preview) → confirm → import.

The admin views and the background tasks call these functions; the command
line runs the importer directly and records a job at the end. Small files are
processed inside the request; files with more rows than
``settings.IMPORT_BACKGROUND_ROWS`` go to a django-tasks task (database
backend: ``manage.py db_worker`` must be running), and the admin polls the
job's progress fields.

Every way a job can go wrong ends it in a visible state with a Chinese
reason, and its upload (plaintext ID numbers) is deleted once it is no longer
needed:

* a file that cannot be read (malformed or DTD-laden XML, a truncated zip…)
  is *refused* with the reader's message; an unexpected error anywhere is a
  *failed* job (``_fail``), never a 500 and never a job ``queued`` forever;
* the process working on a job holds a lease (``JobLease``), renewed by a
  heartbeat thread. When the lease runs out its worker is dead
  (``recover_interrupted``): a check (analysis) that died is *failed* and its
  upload deleted — upload the file again; an import that died goes back to
  *preview* with the reason, so that it can be confirmed again (retry) or
  cancelled. The import runs in one transaction, so a dead import wrote
  nothing; and because rows are matched by their natural keys, confirming a
  file twice updates nothing the second time.
"""

import datetime
import logging
import os
import socket
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import storage
from .importers import importer_for
from .importers.base import options_of_job
from .models import ImportJob
from .reading import estimate_rows
from .reports import write_error_report
from .safety import FileRefused, Limits, check_file, check_file_size

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_ROWS = 5000
WRITE_STAGE = "写入数据库"  # the importer's stage name for its one write transaction
# Lease of the process working on a job; renewed every third of it.
DEFAULT_LEASE_SECONDS = 90
# SQLite lets no other connection write while the import's transaction is open,
# so the heartbeat cannot renew the lease then: the write stage gets this much
# extra time per row up front.
SQLITE_WRITE_SECONDS_PER_ROW = 0.005

INTERRUPTED_CHECK_MESSAGE = (
    "检查文件时处理进程意外中止（服务器重启或进程被终止），未写入任何数据。"
    "上传的文件已删除，请重新上传该文件"
)
INTERRUPTED_IMPORT_MESSAGE = (
    "上次导入时处理进程意外中止（服务器重启或进程被终止）。导入在一个数据库事务中进行，"
    "因此没有写入任何数据。可以重新确认导入，或取消本次导入"
)
INTERNAL_UPLOAD_ERROR = (
    "处理上传的文件时发生内部错误，未写入任何数据，上传的文件已删除。请联系系统管理员查看日志"
)
# Errors kept on the job for the preview page; the error report holds them all.
STORED_ERROR_LIMIT = 5000

EXPORT_PERMISSIONS = {
    "grids": "snippets.view_grid",
    "volunteers": "snippets.view_volunteer",
    "cases": "cases.view_case",
}


def lease_seconds():
    return getattr(settings, "IMPORT_JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)


def worker_name():
    """Who holds a lease: host and process id (for the record; liveness is the lease)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


# Jobs whose lease this process holds right now: never recover those ourselves.
_held_leases = set()


class JobLease:
    """Hold the lease of ``job`` while the block runs; a daemon thread renews it.

    The thread has its own database connection. A renewal that fails (the
    database is busy, SQLite's import transaction is open) is simply tried again
    at the next beat; the lease is long enough to miss a few.
    """

    def __init__(self, job):
        self.job = job
        self.worker = worker_name()
        self.seconds = lease_seconds()
        self.extra_until = None
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        now = timezone.now()
        fields = {
            "worker": self.worker,
            "heartbeat_at": now,
            "lease_expires_at": now + datetime.timedelta(seconds=self.seconds),
            "interrupted_at": None,
        }
        ImportJob.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)
        _held_leases.add(self.job.pk)
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name=f"import-job-{self.job.pk}-lease", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=self.seconds)
        _held_leases.discard(self.job.pk)
        try:
            ImportJob.objects.filter(pk=self.job.pk, worker=self.worker).update(
                lease_expires_at=None
            )
        except DatabaseError:
            logger.warning("could not release the lease of import job %s", self.job.pk)
        self.job.lease_expires_at = None
        return False

    def extend(self, seconds):
        """Give the next stage ``seconds`` more than the normal lease (SQLite's write stage)."""
        self.extra_until = timezone.now() + datetime.timedelta(seconds=self.seconds + seconds)
        self.beat()

    def expires(self, now):
        normal = now + datetime.timedelta(seconds=self.seconds)
        return max(normal, self.extra_until) if self.extra_until else normal

    def beat(self):
        now = timezone.now()
        try:
            ImportJob.objects.filter(
                pk=self.job.pk, worker=self.worker, status__in=ImportJob.BUSY_STATUSES
            ).update(heartbeat_at=now, lease_expires_at=self.expires(now))
        except DatabaseError as exc:
            logger.info("import job %s: heartbeat not written (%s)", self.job.pk, exc)

    def _beat_until_stopped(self):
        try:
            while not self._stop.wait(max(self.seconds / 3, 0.05)):
                self.beat()
        finally:
            connection.close()  # this thread's own connection


def recover_interrupted(job, now=None):
    """End or reset a busy job whose lease ran out: its worker died. Returns True if recovered.

    A compare-and-set on the status and the expired lease, so a worker that
    renewed it a moment ago, or a second caller, changes nothing.
    """
    now = now or timezone.now()
    if job.pk in _held_leases or not job.lease_has_expired(now):
        return False
    checking = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.ANALYSING)
    has_file = bool(job.stored_file) and storage.path_of(job.stored_file).exists()
    if checking or not has_file:
        fields = {
            "status": ImportJob.Status.FAILED,
            "message": INTERRUPTED_CHECK_MESSAGE if checking else INTERRUPTED_IMPORT_MESSAGE,
            "stored_file": "",
            "finished_at": now,
        }
    else:
        fields = {"status": ImportJob.Status.PREVIEW, "message": INTERRUPTED_IMPORT_MESSAGE}
    fields.update(stage="", lease_expires_at=None, interrupted_at=now)
    changed = ImportJob.objects.filter(
        pk=job.pk, status=job.status, lease_expires_at=job.lease_expires_at
    ).update(**fields)
    if not changed:
        return False
    logger.warning("import job %s: worker %s died, job recovered", job.pk, job.worker or "?")
    if fields["status"] == ImportJob.Status.FAILED:
        storage.delete(job.stored_file)
    for name, value in fields.items():
        setattr(job, name, value)
    return True


def recover_interrupted_jobs(now=None):
    """Recover every busy job whose lease ran out, and busy jobs whose task is gone.

    Run by the worker at start and by ``prune_import_files``. Returns the count.
    """
    now = now or timezone.now()
    count = 0
    expired = ImportJob.objects.filter(status__in=ImportJob.BUSY_STATUSES, lease_expires_at__lt=now)
    for job in expired.iterator():
        # ``from_db`` has already recovered a job whose lease ran out by the clock.
        count += 1 if not job.is_busy else recover_interrupted(job, now)
    count += _recover_jobs_without_task(now)
    return count


def _recover_jobs_without_task(now):
    """Busy jobs that never took a lease although their task has ended or started long ago.

    (The worker died between claiming the task and taking the job's lease, or
    the task failed outside the job's own error handling.) Only for the
    database task backend, where a task's state can be looked up.
    """
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return 0
    stale = now - datetime.timedelta(seconds=lease_seconds())
    waiting = ImportJob.objects.filter(
        status__in=ImportJob.BUSY_STATUSES, lease_expires_at__isnull=True
    ).exclude(task_id="")
    count = 0
    for job in waiting:
        task = (
            DBTaskResult.objects.filter(pk=job.task_id).first() if _is_uuid(job.task_id) else None
        )
        if task is None or task.status in ("SUCCESSFUL", "FAILED"):
            lost = task is not None or job.created_at < stale
        else:
            lost = task.status == "RUNNING" and task.started_at and task.started_at < stale
        if lost:
            job.lease_expires_at = now - datetime.timedelta(microseconds=1)
            ImportJob.objects.filter(pk=job.pk, lease_expires_at__isnull=True).update(
                lease_expires_at=job.lease_expires_at
            )
            count += recover_interrupted(job, now)
    return count


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def background_threshold():
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS)


def can_export(user, kind):
    return user.is_active and user.has_perm(EXPORT_PERMISSIONS[kind])


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

    def __init__(self, job, lease=None):
        self.job = job
        self.lease = lease
        self.last = 0.0
        self.stage = None

    def __call__(self, stage, done, total):
        if (
            stage == WRITE_STAGE
            and stage != self.stage
            and self.lease is not None
            and connection.vendor == "sqlite"
        ):
            self.lease.extend((total or 0) * SQLITE_WRITE_SECONDS_PER_ROW)
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
        job.save(update_fields=["stored_file", "rows_total"])
    except FileRefused as exc:
        _refuse(job, str(exc))
    except Exception:
        _fail(job, INTERNAL_UPLOAD_ERROR)
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
        return _enqueue(job, analyse_import_job)
    return analyse(job)


def _enqueue(job, task):
    """Hand the job to the worker; a queue that cannot be written fails the job visibly."""
    try:
        result = task.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    except Exception:
        _fail(job, "无法把任务交给后台处理（数据库繁忙或不可用），未写入任何数据。请稍后重新上传")
        return job
    job.refresh_from_db()
    return job


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

        return _enqueue(job, run_import_job)
    return run_import(job)


def _run(job, *, dry_run, lease=None):
    importer = importer_for(job.kind)(
        job.user,
        skip_invalid=job.skip_invalid,
        dry_run=dry_run,
        progress=JobProgress(job, lease),
        options=options_of_job(job),
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
    if result.refused_rows or result.warning_rows:
        old_report = job.error_report
        job.error_report = storage.report_name()
        out = storage.path_of(job.error_report)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_error_report(path, job.file_name, result, out)
        storage.delete(old_report)


def analyse(job):
    try:
        job.status = ImportJob.Status.ANALYSING
        job.stage = "检查中"
        job.save(update_fields=["status", "stage"])
        with JobLease(job) as lease:
            result, path = _run(job, dry_run=True, lease=lease)
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
        with JobLease(job) as lease:
            result, path = _run(job, dry_run=False, lease=lease)
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
    """End the job as failed with ``message``; its upload is deleted. Never raises."""
    logger.exception("import job %s failed", job.pk)
    try:
        storage.delete(job.stored_file)
    except OSError:
        logger.exception("could not delete the upload of import job %s", job.pk)
    fields = {
        "status": ImportJob.Status.FAILED,
        "stage": "",
        "message": message,
        "stored_file": "",
        "lease_expires_at": None,
        "finished_at": timezone.now(),
    }
    for name, value in fields.items():
        setattr(job, name, value)
    if job.pk is None:
        return
    try:
        if transaction.get_connection().needs_rollback:
            return  # inside a broken atomic block: the caller's rollback decides
        ImportJob.objects.filter(pk=job.pk).update(**fields)
    except DatabaseError:
        # The lease (if any) runs out and the job is recovered as interrupted.
        logger.exception("could not record the failure of import job %s", job.pk)


def cancel(job):
    """Cancel a job waiting for confirmation (or for the worker); its upload is deleted."""
    if job.status not in (ImportJob.Status.PREVIEW, ImportJob.Status.QUEUED):
        return job
    changed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=ImportJob.Status.CANCELLED,
        stored_file="",
        stage="",
        finished_at=timezone.now(),
    )
    if changed:
        storage.delete(job.stored_file)
    job.refresh_from_db()
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
