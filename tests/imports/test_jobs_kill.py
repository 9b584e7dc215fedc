"""A real ``db_worker`` process killed with SIGKILL in the middle of an import's write.

The worker runs in a subprocess against the test database; its importer is
slowed down *after* it has written every row inside the import's transaction
(so the kill lands mid-transaction, every time). After ``kill -9``: no row is
in the database, the job is recovered as interrupted once its lease runs out,
and confirming it again imports the file.

Needs a database a second process can open: PostgreSQL (the in-memory SQLite
test database exists only inside the test process), so it is skipped on SQLite.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from imports import jobs
from imports.models import ImportJob
from portal.snippets.models import Volunteer

from .conftest import VOLUNTEER_HEADER, make_id, volunteer_row, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
WORKER_SCRIPT = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.test import override_settings
from imports.importers.volunteers import VolunteerImporter

marker = sys.argv[1]
original_write = VolunteerImporter.write

def write_then_hang(self, new_rows, update_rows, result):
    original_write(self, new_rows, update_rows, result)  # every row, not yet committed
    open(marker, "w").close()
    time.sleep(120)

VolunteerImporter.write = write_then_hang
with override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    IMPORT_JOB_LEASE_SECONDS=1,
):
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
"""


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that a second process can open (PostgreSQL)")


def database_url():
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"


def test_sigkill_mid_import_writes_nothing_and_the_job_recovers(
    postgres_only, grids, town_admin, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_JOB_LEASE_SECONDS = 1
    rows = [VOLUNTEER_HEADER] + [
        volunteer_row(i, f"志愿者{i}", make_id("19900307", f"{i:03d}")) for i in range(1, 201)
    ]
    data = write_xlsx(tmp_path / "roster.xlsx", rows).read_bytes()
    job = jobs.create_job(
        kind="volunteers",
        user=town_admin,
        upload=SimpleUploadedFile("roster.xlsx", data),
        file_name="roster.xlsx",
    )
    # check it in the foreground, then hand the import to the worker
    settings.IMPORT_BACKGROUND_ROWS = 10_000
    job = jobs.start_analysis(job)
    assert job.status == "preview" and job.new_count == 200
    settings.IMPORT_BACKGROUND_ROWS = 2
    job = jobs.start_import(job)
    assert job.status == "importing"

    marker = tmp_path / "written"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "IMPORT_PRIVATE_ROOT": str(settings.IMPORT_PRIVATE_ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker never reached the write"
            time.sleep(0.1)
        assert ImportJob.objects.get(pk=job.pk).worker.endswith(f":{worker.pid}")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL

    assert Volunteer.objects.count() == 0  # the transaction died with the process
    time.sleep(1.5)  # let the dead worker's lease run out
    job = ImportJob.objects.get(pk=job.pk)  # loading it recovers it
    assert job.status == "preview" and "意外中止" in job.message and job.interrupted_at

    settings.IMPORT_BACKGROUND_ROWS = 10_000  # retry in the foreground
    job = jobs.start_import(job)
    assert job.status == "done" and Volunteer.objects.count() == 200
