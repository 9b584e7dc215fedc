"""``prune_import_files`` leaves nothing in the private storage that no job needs."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from imports import jobs, storage
from imports.models import ImportJob

from .conftest import write_xlsx

pytestmark = pytest.mark.django_db


def age(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def prune(**options):
    out = io.StringIO()
    call_command("prune_import_files", stdout=out, **options)
    return out.getvalue()


def test_prune_removes_orphans_and_files_of_ended_jobs(grids, town_admin, roster_rows, tmp_path):
    data = write_xlsx(tmp_path / "r.xlsx", roster_rows).read_bytes()
    waiting = jobs.start_analysis(
        jobs.create_job(
            kind="volunteers",
            user=town_admin,
            upload=SimpleUploadedFile("r.xlsx", data),
            file_name="r.xlsx",
        )
    )
    assert waiting.status == "preview"
    kept = storage.path_of(waiting.stored_file)

    # a job that ended while its file stayed behind (a crash between the two)
    ended_name = storage.save_path(tmp_path / "r.xlsx", ".xlsx")
    ended = ImportJob.objects.create(
        kind="volunteers", user=town_admin, file_name="r.xlsx", status="done",
        stored_file=ended_name,
    )  # fmt: skip
    # orphans: an upload and a report no job refers to (a job row deleted by hand, …)
    orphan_upload = storage.path_of(storage.save_path(tmp_path / "r.xlsx", ".xlsx"))
    orphan_report = storage.path_of(storage.save_path(tmp_path / "r.xlsx", ".xlsx"))
    moved = orphan_report.parent.parent / "reports" / orphan_report.name
    moved.parent.mkdir(parents=True, exist_ok=True)
    orphan_report.rename(moved)
    fresh_orphan = storage.path_of(storage.save_path(tmp_path / "r.xlsx", ".xlsx"))
    for path in (orphan_upload, moved, kept):
        age(path, 2 * 3600)

    output = prune()
    assert "1 个无主文件" not in output and "2 个无主文件" in output
    assert not orphan_upload.exists() and not moved.exists()
    assert not storage.path_of(ended_name).exists()
    assert ImportJob.objects.get(pk=ended.pk).stored_file == ""
    assert kept.exists()  # the previewed job still needs its file
    assert fresh_orphan.exists()  # may be an upload being stored right now
    assert ImportJob.objects.get(pk=waiting.pk).status == "preview"

    age(fresh_orphan, 2 * 3600)
    prune()
    assert not fresh_orphan.exists() and kept.exists()
