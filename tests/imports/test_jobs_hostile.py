"""Hostile and broken workbooks through the admin upload and the staff API.

Every one must end its job in a visible refused/failed state with a Chinese
reason, answer without a 500, and leave no upload on disk.
"""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import APIToken

from imports import jobs
from imports.models import ImportJob
from imports.storage import private_root

from .conftest import VOLUNTEER_HEADER, make_id, volunteer_row, write_xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CJK = re.compile(r"[\u4e00-\u9fff]")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
]>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&lol6;</Relationships>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>
"""


def good_xlsx_bytes(tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id())]
    return write_xlsx(tmp_path / "good.xlsx", rows).read_bytes()


def replace_member(data, name, content):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            payload = content if info.filename == name else source.read(info.filename)
            target.writestr(info, payload)
    return out.getvalue()


def corrupt_member_bytes(data, name):
    """Flip bytes inside one member's compressed data (the CRC no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(data)
    for offset in range(start + 2, min(start + 40, start + info.compress_size)):
        broken[offset] ^= 0x5A
    return bytes(broken)


HOSTILE = {
    "malformed workbook.xml": lambda d: replace_member(
        d, "xl/workbook.xml", b"<workbook><sheets><sheet name='a'"
    ),
    "DTD entity expansion in _rels/.rels": lambda d: replace_member(
        d, "_rels/.rels", BILLION_LAUGHS
    ),
    "DTD entity expansion in workbook rels": lambda d: replace_member(
        d, "xl/_rels/workbook.xml.rels", BILLION_LAUGHS
    ),
    "external entity in workbook.xml": lambda d: replace_member(
        d, "xl/workbook.xml", EXTERNAL_ENTITY
    ),
    "truncated workbook": lambda d: d[: len(d) // 2],
    "zip with garbage in workbook.xml": lambda d: replace_member(
        d, "xl/workbook.xml", bytes(range(256)) * 4
    ),
    "damaged compressed data": lambda d: corrupt_member_bytes(d, "xl/workbook.xml"),
    "sheet XML garbage": lambda d: replace_member(
        d, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c r='A1'><f>1+"
    ),
    "entity expansion in the sheet": lambda d: replace_member(
        d, "xl/worksheets/sheet1.xml", BILLION_LAUGHS.replace(b"Relationships", b"worksheet")
    ),
}


def stored_files():
    root = private_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_ended_visibly(job):
    assert job.status in ("refused", "failed"), (job.status, job.message)
    assert CJK.search(job.message), job.message
    assert "Traceback" not in job.message and "ParseError" not in job.message
    assert job.stored_file == "" and not job.is_busy
    assert stored_files() == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_through_admin_upload(client, grids, town_admin, tmp_path, name):
    data = HOSTILE[name](good_xlsx_bytes(tmp_path))
    client.force_login(town_admin)
    response = client.post(
        reverse("imports:index"),
        {"kind": "volunteers", "file": SimpleUploadedFile("roster.xlsx", data, XLSX)},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert_ended_visibly(job)
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200 and job.message in page.content.decode()
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["busy"] is False and status["status"] == job.status


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_through_staff_api(client, grids, town_admin, tmp_path, name):
    data = HOSTILE[name](good_xlsx_bytes(tmp_path))
    _token, plaintext = APIToken.create_token(user=town_admin, name="脚本")
    response = client.post(
        "/api/staff/imports/",
        {"kind": "volunteers", "file": SimpleUploadedFile("roster.xlsx", data, XLSX)},
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 201, response.content[:300]
    body = json.loads(response.content)
    job = ImportJob.objects.get(pk=body["id"])
    assert_ended_visibly(job)
    assert body["busy"] is False and CJK.search(body["message"])


def test_entity_expansion_is_refused_as_such(grids, town_admin, tmp_path):
    data = HOSTILE["DTD entity expansion in _rels/.rels"](good_xlsx_bytes(tmp_path))
    job = jobs.create_job(
        kind="volunteers",
        user=town_admin,
        upload=SimpleUploadedFile("r.xlsx", data),
        file_name="r.xlsx",
    )
    assert job.status == "refused" and "DTD" in job.message and "_rels/.rels" in job.message


def test_unexpected_error_while_storing_fails_the_job_and_deletes_the_upload(
    grids, town_admin, tmp_path, monkeypatch
):
    """Any error, not only a refusal, ends the job visibly and removes the file."""

    def broken_estimate(path, fmt):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "estimate_rows", broken_estimate)
    job = jobs.create_job(
        kind="volunteers",
        user=town_admin,
        upload=SimpleUploadedFile("r.xlsx", good_xlsx_bytes(tmp_path)),
        file_name="r.xlsx",
    )
    job.refresh_from_db()
    assert job.status == "failed" and "内部错误" in job.message
    assert stored_files() == []
    assert jobs.start_analysis(job).status == "failed"  # nothing more happens to it
