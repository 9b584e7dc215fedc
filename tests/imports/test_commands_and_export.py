"""The import_data / export_data commands and the .xlsx export."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from imports.exporting import export_register
from imports.importers.grids import GridImporter
from imports.models import ImportJob
from imports.spreadsheet import neutralise
from portal.snippets.models import Grid, Volunteer

from .conftest import (
    GRID_OTHER_TOWN,
    VOLUNTEER_HEADER,
    make_id,
    volunteer_row,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_imports_and_prints_json_summary(grids, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", roster_rows)
    code, out, _err = call("volunteers", str(path), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["counts"] == {
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
        "skipped": 0,
    }
    assert summary["imported"] is True and summary["errors"] == []
    assert Volunteer.objects.count() == 3
    job = ImportJob.objects.get()
    assert (job.source, job.status, job.new_count, job.file_name) == (
        "command",
        "done",
        3,
        "r.xlsx",
    )

    code, out, _err = call("volunteers", str(path), "--json")
    assert code == 0 and json.loads(out)["counts"]["unchanged"] == 3


def test_cli_refusal_exits_non_zero_with_errors_in_json(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id()), volunteer_row(2, "李四", "123")]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    code, out, _err = call("volunteers", str(path), "--json")
    assert code == 1
    summary = json.loads(out)
    assert summary["refused"] is True
    assert summary["errors"] == [
        {"row": 3, "column": "身份证号", "message": "身份证号应为18位，实际为3位"}
    ]
    assert Volunteer.objects.count() == 0


def test_cli_skip_invalid_and_error_report(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id()), volunteer_row(2, "李四", "123")]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    report = tmp_path / "errors.xlsx"
    code, out, _err = call(
        "volunteers", str(path), "--skip-invalid", "--json", "--error-report", str(report)
    )
    assert code == 0
    assert json.loads(out)["counts"]["skipped"] == 1
    sheet = openpyxl.load_workbook(report).active
    values = list(sheet.values)
    assert values[0][0] == "原表行号" and values[0][-1] == "错误原因"
    assert values[1][0] == 3 and values[1][2] == "李四"
    assert values[1][-1] == "身份证号应为18位，实际为3位"


def test_cli_dry_run_writes_nothing(grids, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", roster_rows)
    code, out, _err = call("volunteers", str(path), "--dry-run")
    assert code == 0 and "试运行" in out
    assert Volunteer.objects.count() == 0


def test_cli_user_scope_is_applied(grids, town_admin, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id(), grid=GRID_OTHER_TOWN)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    code, _out, err = call("volunteers", str(path), "--user", town_admin.username)
    assert code == 1
    assert "第 2 行“所属网格”列" in err and "不在您的管辖范围内" in err


def test_cli_refuses_unknown_file_cleanly(grids, tmp_path):
    path = tmp_path / "nothing.xlsx"
    path.write_bytes(b"not a zip at all")
    code, _out, err = call("volunteers", str(path))
    assert code == 1
    assert "未导入" in err


# --- export ------------------------------------------------------------------------------------


def _rows(path):
    return list(openpyxl.load_workbook(path).active.values)


def _volunteers(grids, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id(), 备注="正常"),
        volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_OTHER_TOWN, 备注="+1-2"),
    ]
    # (a text starting with "=" would be written as a real formula by openpyxl, and refused
    # on import, so the dangerous note is put in the database directly)
    call("volunteers", str(write_xlsx(tmp_path / "v.xlsx", rows)))
    Volunteer.objects.filter(name="张三").update(notes='=HYPERLINK("http://evil")')


def test_export_masks_id_numbers_and_neutralises_formulas(grids, town_admin, tmp_path):
    _volunteers(grids, tmp_path)
    town_admin.groups.clear()  # keep view rights but drop the full-ID permission
    from django.contrib.auth.models import Permission

    town_admin.user_permissions.add(
        Permission.objects.get(codename="view_volunteer", content_type__app_label="snippets")
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=town_admin.pk)
    out = tmp_path / "out.xlsx"
    assert export_register("volunteers", user, out) == 1  # 李四 is in another town
    header, row = _rows(out)
    assert header[:3] == ("姓名", "性别", "身份证号")
    number = make_id()
    assert row[0] == "张三" and row[2] == number[:4] + "*" * 10 + number[-4:]
    assert row[-1] == '\'=HYPERLINK("http://evil")'
    assert not ModelLogEntry.objects.filter(action="imports.export_full_id_numbers").exists()


def test_export_with_full_id_permission_is_logged(grids, superuser, tmp_path):
    _volunteers(grids, tmp_path)
    out = tmp_path / "out.xlsx"
    assert export_register("volunteers", superuser, out) == 2
    ids = {row[2] for row in _rows(out)[1:]}
    assert make_id() in ids
    entry = ModelLogEntry.objects.get(action="imports.export_full_id_numbers")
    assert entry.data == {"kind": "volunteers", "rows": 2}


def test_neutralise_covers_every_trigger():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("正常") == "正常" and neutralise(-5) == -5


def test_grid_export_round_trips_to_unchanged(grids, tmp_path):
    out = tmp_path / "grids.xlsx"
    call_command("export_data", "grids", str(out), stdout=io.StringIO())
    result = GridImporter().run(out)
    assert result.imported
    assert result.counts == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    assert Grid.objects.count() == 3


def test_export_command_respects_user_scope(grids, town_admin, tmp_path):
    out = tmp_path / "grids.xlsx"
    call_command(
        "export_data", "grids", str(out), "--user", town_admin.username, stdout=io.StringIO()
    )
    codes = sorted(row[0] for row in _rows(out)[1:])
    assert codes == sorted(g.code for g in grids.values() if g.region.parent.name == "青石街道")
