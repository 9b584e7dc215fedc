"""The Wagtail admin flow end to end: upload → preview → confirm → summary, and the downloads."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from imports.storage import private_root
from portal.snippets.models import Volunteer

from .conftest import GRID_OTHER_TOWN, VOLUNTEER_HEADER, make_id, volunteer_row, write_xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, path, kind="volunteers", skip_invalid=False):
    data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes(), XLSX)}
    if skip_invalid:
        data["skip_invalid"] = "on"
    return client.post(reverse("imports:index"), data)


def stored_uploads():
    folder = private_root() / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_upload_preview_confirm_summary_and_history(
    client, grids, town_admin, roster_rows, tmp_path, settings
):
    client.force_login(town_admin)
    page = client.get(reverse("wagtailadmin_home"))
    assert "/admin/imports/" in page.content.decode()  # the sidebar menu item
    assert client.get(reverse("imports:index")).status_code == 200

    response = upload(client, write_xlsx(tmp_path / "花名册.xlsx", roster_rows, merges=["A1:M1"]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    assert job.status == "preview" and job.new_count == 3
    # the upload waits in private storage, outside MEDIA_ROOT
    assert len(stored_uploads()) == 1
    assert not str(stored_uploads()[0]).startswith(str(settings.MEDIA_ROOT))

    preview = client.get(response.url).content.decode()
    assert "待确认" in preview and "新增" in preview and "确认导入" in preview
    assert "1101**********4514" in preview  # masked ID in the sample rows
    assert make_id() not in preview
    assert "青石志愿服务队" in preview  # new team listed
    assert Volunteer.objects.count() == 0

    response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.finished_at is not None
    assert Volunteer.objects.count() == 3
    assert stored_uploads() == []
    summary = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "导入完成：新增 3 行" in summary

    history = client.get(reverse("imports:history")).content.decode()
    assert "花名册.xlsx" in history and "已导入" in history

    # confirming twice does nothing
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Volunteer.objects.count() == 3


def test_errors_are_listed_and_skip_invalid_produces_a_report(client, grids, town_admin, tmp_path):
    client.force_login(town_admin)
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id()),
        volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_OTHER_TOWN),
        volunteer_row(3, "王五", "41150219900101123"),
    ]
    upload(client, write_xlsx(tmp_path / "bad.xlsx", rows))
    job = ImportJob.objects.get()
    assert job.status == "preview" and job.error_count == 2
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "第 3 行" in page and "不在您的管辖范围内" in page
    assert "第 4 行" in page and "身份证号应为18位" in page

    # confirming without ticking 跳过错误行 imports nothing
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "preview" and Volunteer.objects.count() == 0

    client.post(reverse("imports:confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.status == "done" and job.skipped_count == 2
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["张三"]

    report = client.get(reverse("imports:error_report", args=[job.pk]))
    assert report.status_code == 200 and "no-store" in report["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    values = list(sheet.values)
    assert [row[0] for row in values[1:]] == [3, 4]
    assert "不在您的管辖范围内" in values[1][-1]


def test_unusable_file_is_refused_at_once(client, grids, town_admin, tmp_path):
    client.force_login(town_admin)
    path = tmp_path / "roster.xlsx"
    path.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == "refused" and "纯文本" in job.message
    assert stored_uploads() == []
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "纯文本" in page and "确认导入" not in page


def test_large_file_runs_in_background_with_progress(
    client, grids, town_admin, roster_rows, tmp_path, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 2  # the immediate task backend runs the task at once
    client.force_login(town_admin)
    upload(client, write_xlsx(tmp_path / "r.xlsx", roster_rows))
    job = ImportJob.objects.get()
    assert job.task_id and job.status == "preview"
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Volunteer.objects.count() == 3
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status == {
        "status": "done",
        "status_label": "已导入",
        "stage": "",
        "rows_done": 3,
        "rows_total": 3,
        "percent": 100,
        "busy": False,
    }


def test_busy_job_page_polls_without_inline_script(client, grids, town_admin):
    client.force_login(town_admin)
    job = ImportJob.objects.create(
        kind="volunteers", user=town_admin, file_name="big.xlsx", status="importing",
        stage="写入数据库", rows_total=100000, rows_done=40000,
    )  # fmt: skip
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'src="/static/imports/job-status.js"' in page
    assert f'data-job-status-url="/admin/imports/jobs/{job.pk}/status.json"' in page
    assert '<meta http-equiv="refresh"' in page
    assert "40000 / 100000" in page


def test_cancel_deletes_the_upload(client, grids, town_admin, roster_rows, tmp_path):
    client.force_login(town_admin)
    upload(client, write_xlsx(tmp_path / "r.xlsx", roster_rows))
    job = ImportJob.objects.get()
    assert stored_uploads()
    client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled" and stored_uploads() == []
    assert Volunteer.objects.count() == 0


def test_template_download_has_header_example_and_dropdowns(client, grids, town_admin):
    client.force_login(town_admin)
    response = client.get(reverse("imports:template", args=["volunteers"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["序号", "姓名", "性别", "身份证号"]
    example = [cell.value for cell in sheet[2]]
    assert example[3] == "110101199003074514" and sheet["D2"].number_format == "@"
    formulas = {
        str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in sheet.data_validations.dataValidation
    }
    assert set(formulas) == {"C", "G", "H"}  # gender, political status, grid
    options = book["选项"]
    grid_column = formulas["H"].split("!")[1].replace("$", "").split(":")[0][0]
    codes = [c.value for c in options[grid_column][1:] if c.value]
    # only the town admin's grids, as "name（code）" (issue 15)
    assert codes == ["东湖第一网格（411523001001001）", "西岭第一网格（411523001201001）"]
    assert options.sheet_state == "hidden"

    cases = client.get(reverse("imports:template", args=["cases"]))
    assert cases.status_code == 200


def test_export_download_is_scoped(client, grids, town_admin):
    client.force_login(town_admin)
    response = client.get(reverse("imports:export", args=["grids"]))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "网格编码"
    assert sorted(row[0] for row in rows[1:]) == ["411523001001001", "411523001201001"]


def test_permissions_and_other_peoples_jobs(
    client, grids, town_admin, county_admin, roster_rows, tmp_path, django_user_model
):
    client.force_login(town_admin)
    upload(client, write_xlsx(tmp_path / "r.xlsx", roster_rows))
    job = ImportJob.objects.get()

    client.force_login(county_admin)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:history")).status_code == 200

    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    # Wagtail turns PermissionDenied in the admin into a redirect to the dashboard
    for url in (reverse("imports:index"), reverse("imports:export", args=["volunteers"])):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, "/admin/")
    assert "/admin/imports/" not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_database_task_backend_waits_for_the_worker(
    client, grids, town_admin, roster_rows, tmp_path, settings
):
    """With the production backend the request only enqueues; ``db_worker`` does the work."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(town_admin)
    upload(client, write_xlsx(tmp_path / "r.xlsx", roster_rows))
    job = ImportJob.objects.get()
    assert job.status == "queued" and job.task_id
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["busy"] is True
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "db_worker" in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == "preview" and job.new_count == 3

    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "importing" and Volunteer.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == "done" and Volunteer.objects.count() == 3


def test_prune_deletes_old_uploads_and_reports(client, grids, town_admin, tmp_path):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(town_admin)
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id()), volunteer_row(2, "坏", "1")]
    upload(client, write_xlsx(tmp_path / "r.xlsx", rows))
    job = ImportJob.objects.get()
    assert job.status == "preview" and job.error_report and stored_uploads()
    call_command("prune_import_files", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "preview"  # too recent

    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("prune_import_files", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "cancelled" and job.stored_file == "" and job.error_report == ""
    assert stored_uploads() == [] and list((private_root() / "reports").iterdir()) == []
