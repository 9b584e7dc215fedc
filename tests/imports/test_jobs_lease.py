"""Jobs whose worker died: the lease runs out and the job is recovered wherever it is looked at."""

import datetime
import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from imports import jobs
from imports.models import ImportJob
from imports.storage import path_of, private_root
from portal.snippets.models import Volunteer

from .conftest import write_xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def previewed_job(user, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows)
    job = jobs.create_job(
        kind="volunteers",
        user=user,
        upload=SimpleUploadedFile("roster.xlsx", path.read_bytes(), XLSX),
        file_name="roster.xlsx",
    )
    job = jobs.start_analysis(job)
    assert job.status == "preview" and job.new_count == 3
    return job


def die_while(job, status, seconds_ago=5):
    """What a worker killed with -9 leaves behind: a busy job and a lease that ran out."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        stage="写入数据库",
        worker="dead-host:4242",
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=100),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def uploads():
    folder = private_root() / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_interrupted_import_is_shown_on_the_job_page_and_can_be_retried(
    client, grids, town_admin, roster_rows, tmp_path
):
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "importing")
    client.force_login(town_admin)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "处理进程意外中止" in page and "没有写入任何数据" in page
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "preview" and job.interrupted_at and job.lease_expires_at is None
    assert Volunteer.objects.count() == 0 and path_of(job.stored_file).exists()
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["busy"] is False
    # retry: confirm again
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Volunteer.objects.count() == 3
    assert job.interrupted_at is None and uploads() == []


def test_interrupted_import_can_be_cancelled(client, grids, town_admin, roster_rows, tmp_path):
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "importing")
    client.force_login(town_admin)
    client.post(reverse("imports:cancel", args=[job.pk]))
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "cancelled" and uploads() == []


def test_interrupted_check_fails_in_the_api_poll_and_deletes_the_upload(
    client, grids, town_admin, roster_rows, tmp_path
):
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "analysing")
    _token, plaintext = APIToken.create_token(user=town_admin, name="脚本")
    response = client.get(f"/api/staff/imports/{job.pk}/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert (body["status"], body["busy"]) == ("failed", False)
    assert "请重新上传" in body["message"]
    assert uploads() == []


def test_interrupted_import_confirmed_again_through_the_api(
    client, grids, town_admin, roster_rows, tmp_path
):
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "importing")
    _token, plaintext = APIToken.create_token(user=town_admin, name="脚本")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    body = json.loads(client.get(f"/api/staff/imports/{job.pk}/", **auth).content)
    assert body["status"] == "preview" and "意外中止" in body["message"]
    response = client.post(f"/api/staff/imports/{job.pk}/confirm/", {}, **auth)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["status"] == "done"
    assert Volunteer.objects.count() == 3


def test_live_lease_is_left_alone(grids, town_admin, roster_rows, tmp_path):
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "importing", seconds_ago=-60)  # expires in a minute: the worker is alive
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "importing" and job.is_busy
    assert jobs.recover_interrupted_jobs() == 0


def test_a_late_heartbeat_wins_over_recovery(grids, town_admin, roster_rows, tmp_path):
    """The compare-and-set: a lease renewed after it was read is not taken away."""
    job = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(job, "importing")
    stale = ImportJob.objects.filter(pk=job.pk).only("pk", "status").get()  # no recovery here
    stale.status, stale.lease_expires_at = "importing", timezone.now() - datetime.timedelta(1)
    ImportJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert jobs.recover_interrupted(stale) is False
    assert ImportJob.objects.filter(pk=job.pk, status="importing").exists()


def test_worker_start_and_prune_recover_expired_jobs(grids, town_admin, roster_rows, tmp_path):
    first = previewed_job(town_admin, roster_rows, tmp_path)
    second = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(first, "importing")
    die_while(second, "analysing")
    later = timezone.now() + datetime.timedelta(seconds=1)
    assert jobs.recover_interrupted_jobs(later) == 2
    assert ImportJob.objects.get(pk=first.pk).status == "preview"
    assert ImportJob.objects.get(pk=second.pk).status == "failed"

    third = previewed_job(town_admin, roster_rows, tmp_path)
    die_while(third, "importing")
    out = io.StringIO()
    call_command("prune_import_files", stdout=out)
    assert "已恢复 1 个中断的导入任务" in out.getvalue()
    assert ImportJob.objects.get(pk=third.pk).status == "preview"


@pytest.mark.django_db(transaction=True)
def test_job_whose_task_failed_without_a_lease_is_recovered_at_worker_start(
    grids, town_admin, roster_rows, tmp_path, settings
):
    """The worker died between claiming the task and taking the job's lease."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 2
    job = jobs.create_job(
        kind="volunteers",
        user=town_admin,
        upload=SimpleUploadedFile(
            "r.xlsx", write_xlsx(tmp_path / "r.xlsx", roster_rows).read_bytes(), XLSX
        ),
        file_name="r.xlsx",
    )
    job = jobs.start_analysis(job)
    assert job.status == "queued" and job.task_id
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "failed" and "意外中止" in job.message and uploads() == []


@pytest.mark.django_db(transaction=True)
def test_heartbeat_renews_the_lease_while_the_work_runs(grids, town_admin, settings):
    settings.IMPORT_JOB_LEASE_SECONDS = 0.3
    job = ImportJob.objects.create(
        kind="volunteers", user=town_admin, file_name="x.xlsx", status="analysing"
    )
    with jobs.JobLease(job):
        first = ImportJob.objects.get(pk=job.pk).lease_expires_at
        time.sleep(0.8)  # the lease would have run out twice without the heartbeat
        renewed = ImportJob.objects.get(pk=job.pk)
        assert renewed.lease_expires_at > first and renewed.status == "analysing"
        assert renewed.worker == jobs.worker_name()
    assert ImportJob.objects.get(pk=job.pk).lease_expires_at is None
