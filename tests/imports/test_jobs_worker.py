"""``manage.py db_worker`` survives transient database errors instead of exiting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, load_command_class
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker as stock

from imports import jobs
from imports.management.commands.db_worker import ResilientWorker
from imports.models import ImportJob
from portal.snippets.models import Volunteer

from .conftest import write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_ARGS = ("--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def queued_job(grids, town_admin, roster_rows, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 2
    data = write_xlsx(tmp_path / "r.xlsx", roster_rows).read_bytes()
    job = jobs.create_job(
        kind="volunteers",
        user=town_admin,
        upload=SimpleUploadedFile("r.xlsx", data),
        file_name="r.xlsx",
    )
    job = jobs.start_analysis(job)
    assert job.status == "queued"
    return job


@pytest.fixture
def locked_once(monkeypatch):
    """The worker loop's first database call fails with SQLite's "database is locked"."""
    calls = {"n": 0}
    real = stock.close_old_connections

    def flaky():
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("database is locked")
        return real()

    monkeypatch.setattr(stock, "close_old_connections", flaky)
    return calls


def test_the_project_command_is_the_resilient_one():
    command = load_command_class("imports", "db_worker")
    assert isinstance(command, stock.Command)
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "imports"


def test_stock_worker_exits_on_a_locked_database(queued_job, locked_once):
    """The failure this command exists for (django_tasks_db's own command)."""
    with pytest.raises(OperationalError):
        call_command(stock.Command(), *WORKER_ARGS, verbosity=0)
    assert ImportJob.objects.get(pk=queued_job.pk).status == "queued"


def test_worker_survives_a_locked_database_and_does_the_work(queued_job, locked_once):
    call_command("db_worker", *WORKER_ARGS, "--retry-delay", "0", verbosity=0)
    assert locked_once["n"] > 1
    job = ImportJob.objects.get(pk=queued_job.pk)
    assert job.status == "preview" and job.new_count == 3
    jobs.start_import(job)
    call_command("db_worker", *WORKER_ARGS, "--retry-delay", "0", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "done"
    assert Volunteer.objects.count() == 3


def test_back_off_doubles_up_to_the_limit():
    delays = []
    worker = ResilientWorker(
        retry_delay=0.5,
        max_retry_delay=3,
        sleep=delays.append,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    assert [worker.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3, 3]


def test_other_errors_still_stop_the_worker(queued_job, monkeypatch):
    def broken():
        raise RuntimeError("a bug, not the database")

    monkeypatch.setattr(stock, "close_old_connections", broken)
    with pytest.raises(RuntimeError):
        call_command("db_worker", *WORKER_ARGS, "--retry-delay", "0", verbosity=0)
