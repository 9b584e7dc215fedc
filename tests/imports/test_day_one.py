"""Issue 9/10/15 for the import pipeline: categories, warnings, ledgers, bad paths, oracles.

Every test writes real .xlsx/.xls/.csv files and runs the importer, the
command or the admin views on a real database.
"""

import datetime
import fcntl
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from imports.importers.cases import PUBLIC_WITHOUT_SUMMARY, CaseImporter
from imports.importers.points import PointsImporter
from imports.importers.service_records import ServiceRecordImporter
from imports.importers.volunteers import VolunteerImporter
from imports.models import ImportJob
from imports.reports import write_error_report
from portal.cases.models import Case, CaseCategory, CaseEvent
from portal.snippets.certificates import issue_certificate
from portal.snippets.models import PointsEntry, ServiceRecord, Volunteer
from portal.snippets.volunteering import points_balance, total_hours

from .conftest import (
    GRID_EAST,
    GRID_OTHER_TOWN,
    GRID_WEST,
    VOLUNTEER_HEADER,
    make_id,
    volunteer_row,
    write_csv,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNAVAILABLE_ID = "无法导入此行：身份证号不可用，请核对或联系上级管理员"
UNAVAILABLE_CASE = "无法导入此行：案件编号不可用，请核对或联系上级管理员"

CASE_HEADER = ["案件编号", "标题", "事件描述", "事件类别", "事件来源", "所属网格", "上报时间",
               "当前状态", "是否公开"]  # fmt: skip


def case_row(number, category="矛盾纠纷", public="否", grid=GRID_EAST, summary=None):
    row = [number, f"标题{number}", "张三家漏水，电话13800138000", category, "网格员上报", grid,
           "2025-03-01 09:30", "受理", public]  # fmt: skip
    if summary is not None:
        row.append(summary)
    return row


def call(command, *args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def upload(client, path, kind):
    data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes(), XLSX)}
    client.post(reverse("imports:index"), data)
    return ImportJob.objects.latest("id")


# --- categories the catalog lacks ---------------------------------------------------------------


def test_unknown_category_is_refused_without_a_choice(grids, categories, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [CASE_HEADER, case_row("AJ2025000001", "违章建筑")])
    result = CaseImporter(None, dry_run=True).run(path)
    assert result.refused and "事件类别“违章建筑”不存在" in result.errors[0].message
    assert result.as_dict()["unknown_categories"] == [
        {"name": "违章建筑", "rows": 1, "action": "refused"}
    ]


def test_allow_new_categories_creates_them_with_default_deadline(grids, categories, tmp_path):
    rows = [CASE_HEADER, case_row("AJ2025000001", "违章建筑"), case_row("AJ2025000002", "违章建筑")]
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    preview = CaseImporter(None, dry_run=True, options={"allow_new_categories": True}).run(path)
    assert preview.ok and preview.counts["new"] == 2
    assert preview.as_dict()["unknown_categories"][0]["action"] == "new"
    assert not CaseCategory.objects.filter(name="违章建筑").exists()  # a preview writes nothing
    result = CaseImporter(None, options={"allow_new_categories": True}).run(path)
    assert result.imported
    category = CaseCategory.objects.get(name="违章建筑")
    assert category.deadline_days == 15 and category.code
    case = Case.objects.get(number="AJ2025000002")
    assert case.category == category
    assert case.deadline == case.reported_at + datetime.timedelta(days=15)


def test_mapped_category_reads_as_the_existing_one(grids, categories, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [CASE_HEADER, case_row("AJ2025000001", "邻里纠纷")])
    result = CaseImporter(None, options={"category_map": {"邻里纠纷": "矛盾纠纷"}}).run(path)
    assert result.imported
    assert Case.objects.get().category == categories["dispute"]
    assert not CaseCategory.objects.filter(name="邻里纠纷").exists()
    # a mapping to a category that does not exist is refused, naming both
    bad = CaseImporter(None, options={"category_map": {"邻里纠纷": "不存在的类别"}}).run(
        write_xlsx(tmp_path / "d.xlsx", [CASE_HEADER, case_row("AJ2025000002", "邻里纠纷")])
    )
    assert bad.refused and "不存在的类别" in bad.errors[0].message


def test_command_allow_new_and_map_category(grids, categories, tmp_path):
    rows = [CASE_HEADER, case_row("AJ2025000001", "违章建筑"), case_row("AJ2025000002", "邻里纠纷")]
    path = str(write_xlsx(tmp_path / "c.xlsx", rows))
    code, _out, err = call("import_data", "cases", path)
    assert code == 1 and "违章建筑" in err and Case.objects.count() == 0
    code, out, err = call(
        "import_data",
        "cases",
        path,
        "--allow-new-categories",
        "--map-category",
        "邻里纠纷=矛盾纠纷",
    )
    assert code == 0, err
    assert Case.objects.get(number="AJ2025000001").category.name == "违章建筑"
    assert Case.objects.get(number="AJ2025000002").category == categories["dispute"]
    code, _out, err = call("import_data", "cases", path, "--map-category", "没有等号")
    assert code == 2 and "格式" in err


def test_admin_preview_offers_new_or_mapped_categories(
    client, grids, categories, town_admin, tmp_path
):
    rows = [CASE_HEADER, case_row("AJ2025000001", "违章建筑"), case_row("AJ2025000002", "邻里纠纷")]
    client.force_login(town_admin)
    job = upload(client, write_xlsx(tmp_path / "c.xlsx", rows), "cases")
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "系统中还没有的事件类别" in page and "允许新建类别" in page
    assert 'name="map_category:邻里纠纷"' in page and '<option value="矛盾纠纷"' in page
    assert job.error_count == 2
    # 确认导入 is refused server-side while rows are in error
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Case.objects.count() == 0
    client.post(
        reverse("imports:confirm", args=[job.pk]),
        {"recheck": "1", "allow_new_categories": "on", "map_category:邻里纠纷": "矛盾纠纷"},
    )
    job.refresh_from_db()
    assert job.status == "preview" and job.error_count == 0 and job.new_count == 2
    assert job.report["options"] == {
        "allow_new_categories": True,
        "category_map": {"邻里纠纷": "矛盾纠纷"},
    }
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    assert Case.objects.get(number="AJ2025000002").category == categories["dispute"]
    assert Case.objects.get(number="AJ2025000001").category.name == "违章建筑"
    done = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "查看案件" in done  # a link to the imported records


# --- public without a summary: a warning, not an error -------------------------------------------


def test_public_without_summary_is_imported_not_public_with_a_warning(grids, categories, tmp_path):
    rows = [CASE_HEADER, case_row("AJ2025000001", public="是"), case_row("AJ2025000002")]
    path = str(write_xlsx(tmp_path / "c.xlsx", rows))
    report = tmp_path / "report.xlsx"
    code, out, err = call("import_data", "cases", path, "--json", "--error-report", str(report))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["warning_count"] == 1
    assert summary["warning_summary"] == [{"message": PUBLIC_WITHOUT_SUMMARY, "rows": 1}]
    assert summary["warnings"][0] == {
        "row": 2,
        "column": "是否公开",
        "message": PUBLIC_WITHOUT_SUMMARY,
    }
    case = Case.objects.get(number="AJ2025000001")
    assert case.is_public is False and case.public_summary == ""
    rows_out = list(openpyxl.load_workbook(report).active.values)
    assert rows_out[0][-2:] == ("提示", "错误原因")
    assert rows_out[1][0] == 2 and rows_out[1][-2] == PUBLIC_WITHOUT_SUMMARY

    # re-imported with a 公开摘要 column it becomes public; the raw report never does
    with_summary = [
        [*CASE_HEADER, "公开摘要"],
        case_row("AJ2025000001", public="是", summary="某小区楼上漏水引发邻里纠纷"),
    ]
    result = CaseImporter(None).run(write_xlsx(tmp_path / "s.xlsx", with_summary))
    assert result.imported and result.counts["update"] == 1 and not result.warnings
    case.refresh_from_db()
    assert case.is_public and case.public_summary == "某小区楼上漏水引发邻里纠纷"
    assert "13800138000" not in case.public_summary


def test_public_warning_shows_in_the_admin_preview(client, grids, categories, town_admin, tmp_path):
    rows = [
        CASE_HEADER,
        case_row("AJ2025000001", public="是"),
        case_row("AJ2025000002", public="是"),
    ]
    client.force_login(town_admin)
    job = upload(client, write_xlsx(tmp_path / "c.xlsx", rows), "cases")
    assert job.status == "preview" and job.error_count == 0
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert f"{PUBLIC_WITHOUT_SUMMARY}：2 行" in page
    assert (
        "确认导入</button>" in page and "disabled" not in page.split("确认导入</button>")[0][-120:]
    )
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Case.objects.filter(is_public=False).count() == 2
    assert "其中 2 行带有提示" in client.get(reverse("imports:job", args=[job.pk])).content.decode()


def test_case_service_door_builds_the_events(grids, categories, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [CASE_HEADER, case_row("AJ2025000001")])
    CaseImporter(None).run(path)
    event = CaseEvent.objects.get()
    assert event.action == "import" and event.to_status == "accepted"
    assert "批量导入（c.xlsx）" in event.detail


# --- volunteer service records and points -------------------------------------------------------

RECORD_HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "手机号码",
    "服务日期",
    "服务时长（小时）",
    "服务活动",
    "核实人",
]
POINTS_HEADER = ["姓名", "身份证号", "日期", "类型", "积分", "事由"]


@pytest.fixture
def volunteers(grids, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id(), **{"累计服务时长（小时）": ""}),
        volunteer_row(
            2,
            "李四",
            make_id("19851120", "362"),
            grid=GRID_WEST,
            phone="13900139000",
            **{"累计服务时长（小时）": ""},
        ),  # fmt: skip
        volunteer_row(
            3,
            "赵六",
            make_id("19700101", "555"),
            grid=GRID_OTHER_TOWN,
            phone="13700137000",
            **{"累计服务时长（小时）": ""},
        ),  # fmt: skip
    ]
    assert VolunteerImporter(None).run(write_xlsx(tmp_path / "v.xlsx", rows)).imported
    return {v.name: v for v in Volunteer.objects.all()}


def test_service_records_import_is_idempotent_and_feeds_the_certificate(
    volunteers, town_admin, tmp_path
):
    rows = [
        ["志愿服务记录（2025年）"],
        RECORD_HEADER,
        [1, "张三", make_id(), "", "2025-03-01", 2.5, "社区环境整治", "李主任"],
        [2, "", "", "13900139000", "2025年3月2日", "3小时", "助老服务", "王书记"],
        [3, "张三", make_id(), "", "2025/03/05", 1, "政策宣传", "李主任"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows, text_columns=["C", "D"])
    result = ServiceRecordImporter(town_admin).run(path)
    assert result.imported, [str(e) for e in result.errors]
    assert result.counts["new"] == 3
    assert total_hours(volunteers["张三"]) == 3.5
    assert total_hours(volunteers["李四"]) == 3
    again = ServiceRecordImporter(town_admin).run(path)
    assert again.counts == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    assert ServiceRecord.objects.count() == 3
    certificate = issue_certificate(volunteers["张三"], town_admin)
    assert certificate.record_count == 2 and certificate.total_hours == 3.5
    assert [r["activity"] for r in certificate.records] == ["社区环境整治", "政策宣传"]


def test_service_records_refused_rows(volunteers, town_admin, tmp_path):
    other = make_id("19700101", "555")  # 赵六, registered in another town
    unknown = make_id("19991231", "777")
    rows = [
        RECORD_HEADER,
        [1, "", other, "", "2025-03-01", 2, "巡逻", "李主任"],
        [2, "", unknown, "", "2025-03-01", 2, "巡逻", "李主任"],
        [3, "", "", "13700137000", "2025-03-01", 2, "巡逻", "李主任"],  # 赵六's phone
        [4, "张三", make_id(), "", "2025-03-01", 30, "巡逻", "李主任"],
        [5, "张三", make_id(), "", "2025-03-01", 2, "巡逻", "李主任"],
        [6, "张三", make_id(), "", "2025-03-01", 2, "巡逻", "李主任"],
        [7, "王五", make_id(), "", "2025-03-02", 2, "巡逻", "李主任"],
    ]
    result = ServiceRecordImporter(town_admin).run(write_csv(tmp_path / "r.csv", rows))
    assert result.refused and ServiceRecord.objects.count() == 0
    got = {e.row: e.message for e in result.errors}
    # no oracle: a volunteer of another town reads exactly like one never registered
    assert got[2] == got[3] and "管辖范围内找到" in got[2]
    assert "管辖范围内找到" in got[4]
    assert "24" in got[5]
    assert "第 6 行" in got[7]
    assert "姓名“王五”" in got[8]
    assert 6 not in got
    entry = ModelLogEntry.objects.get(action="imports.out_of_scope_row")
    assert entry.object_id == str(volunteers["赵六"].pk) and entry.user_id == town_admin.pk


def test_points_import_refuses_overdraw_naming_the_row_and_is_idempotent(
    volunteers, town_admin, tmp_path
):
    rows = [
        POINTS_HEADER,
        ["张三", make_id(), "2025-03-01", "获得", 10, "环境整治"],
        ["张三", make_id(), "2025-03-05", "兑换", 6, "兑换洗衣粉"],
        ["张三", make_id(), "2025-03-09", "兑换", 6, "兑换毛巾"],
    ]
    path = write_xls(tmp_path / "p.xls", rows)
    result = PointsImporter(town_admin).run(path)
    assert result.refused and PointsEntry.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [(4, "积分")]
    assert "积分余额不足：当前余额 4 分，不能兑换 6 分" in str(result.errors[0])
    assert str(result.errors[0]).startswith("第 4 行")

    good = write_xls(tmp_path / "q.xls", rows[:3])
    assert PointsImporter(town_admin).run(good).imported
    assert points_balance(volunteers["张三"]) == 4
    again = PointsImporter(town_admin).run(good)
    assert again.counts["unchanged"] == 2 and PointsEntry.objects.count() == 2
    # the stored balance counts for a later file too
    later = write_xls(
        tmp_path / "r.xls", [POINTS_HEADER, ["张三", make_id(), "2025-04-01", "兑换", 5, "兑换米"]]
    )
    refused = PointsImporter(town_admin).run(later)
    assert refused.refused and "当前余额 4 分" in refused.errors[0].message


def test_points_other_region_volunteer_is_refused_without_oracle(volunteers, town_admin, tmp_path):
    rows = [
        POINTS_HEADER,
        ["", make_id("19700101", "555"), "2025-03-01", "获得", 10, "环境整治"],
        ["", make_id("19991231", "777"), "2025-03-01", "获得", 10, "环境整治"],
    ]
    result = PointsImporter(town_admin).run(write_xlsx(tmp_path / "p.xlsx", rows))
    messages = [e.message for e in result.errors]
    assert len(messages) == 2 and messages[0] == messages[1]


def test_new_kinds_in_admin_and_templates(client, volunteers, town_admin, tmp_path):
    client.force_login(town_admin)
    index = client.get(reverse("imports:index")).content.decode()
    assert "志愿服务记录" in index and "积分记录" in index
    for kind in ("services", "points"):
        response = client.get(reverse("imports:template", args=[kind]))
        assert response.status_code == 200
    rows = [RECORD_HEADER, [1, "张三", make_id(), "", "2025-03-01", 2, "巡逻", "李主任"]]
    job = upload(client, write_xlsx(tmp_path / "r.xlsx", rows, text_columns=["C"]), "services")
    assert job.status == "preview" and job.new_count == 1
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and ServiceRecord.objects.count() == 1
    history = client.get(reverse("imports:history")).content.decode()
    assert "志愿服务记录" in history


# --- bad paths on the command line ------------------------------------------------------------------


def test_cli_missing_directory_unreadable_and_locked_paths_exit_2(db, tmp_path):
    code, _out, err = call("import_data", "volunteers", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "不存在" in err and "Traceback" not in err
    code, _out, err = call("import_data", "volunteers", str(tmp_path))
    assert code == 2 and "文件夹" in err
    locked = write_xlsx(tmp_path / "locked.xlsx", [VOLUNTEER_HEADER])
    with open(locked, "rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        code, _out, err = call("import_data", "volunteers", str(locked))
        fcntl.flock(holder, fcntl.LOCK_UN)
    assert code == 2 and "锁定" in err
    if os.geteuid() != 0:  # root reads everything
        secret = write_xlsx(tmp_path / "secret.xlsx", [VOLUNTEER_HEADER])
        secret.chmod(0)
        code, _out, err = call("import_data", "volunteers", str(secret))
        assert code == 2 and "权限" in err
    code, _out, err = call("export_data", "grids", str(tmp_path))
    assert code == 2 and "文件夹" in err
    code, _out, err = call("export_data", "grids", str(tmp_path / "no" / "such" / "out.xlsx"))
    assert code == 2 and "不存在" in err


def test_cli_missing_file_in_a_real_process_has_no_traceback(tmp_path):
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, str(root / "manage.py"), "import_data", "cases", str(tmp_path / "x.xlsx")],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "不存在" in completed.stderr and "Traceback" not in completed.stderr


# --- existence oracles --------------------------------------------------------------------------


def test_case_number_outside_scope_is_refused_without_oracle(
    grids, categories, town_admin, tmp_path
):
    CaseImporter(None).run(
        write_xlsx(
            tmp_path / "a.xlsx", [CASE_HEADER, case_row("AJ2025000001", grid=GRID_OTHER_TOWN)]
        )
    )
    future = f"AJ{datetime.date.today().year + 1}000001"
    rows = [CASE_HEADER, case_row("AJ2025000001"), case_row(future)]
    result = CaseImporter(town_admin).run(write_xlsx(tmp_path / "b.xlsx", rows))
    messages = {e.row: e.message for e in result.errors}
    # the same message as a number no one could have taken: nothing tells them apart
    assert messages == {2: UNAVAILABLE_CASE, 3: UNAVAILABLE_CASE}
    entry = ModelLogEntry.objects.get(action="imports.out_of_scope_row")
    assert entry.user_id == town_admin.pk and entry.data["row"] == 2
    assert Case.objects.get().village.name == "白云村"


def test_volunteer_outside_scope_is_refused_without_oracle(client, grids, town_admin, tmp_path):
    number = make_id()
    VolunteerImporter(None).run(
        write_xlsx(
            tmp_path / "a.xlsx",
            [VOLUNTEER_HEADER, volunteer_row(1, "张三", number, grid=GRID_OTHER_TOWN)],
        )
    )
    client.force_login(town_admin)
    job = upload(
        client, write_xlsx(tmp_path / "b.xlsx", [VOLUNTEER_HEADER, volunteer_row(1, "张三", number)]),
        "volunteers",
    )  # fmt: skip
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert UNAVAILABLE_ID in page
    assert "管辖范围以外" not in page and "已登记" not in page
    assert ModelLogEntry.objects.filter(action="imports.out_of_scope_row").count() == 1


# --- the error report, the confirmation, the grid dropdown -------------------------------------------


def test_error_report_masks_id_numbers(grids, tmp_path):
    number = make_id()
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", number, grid="999999999999999", 备注=f"身份证{number}"),
    ]
    path = write_xlsx(tmp_path / "v.xlsx", rows)
    result = VolunteerImporter(None, dry_run=True).run(path)
    out = tmp_path / "report.xlsx"
    assert write_error_report(path, "v.xlsx", result, out) == 1
    text = repr(list(openpyxl.load_workbook(out).active.values))
    assert number not in text
    assert number[:4] + "*" * 10 + number[-4:] in text
    assert "999999999999999" in text  # a 15-digit code is not an ID number


def test_confirm_refused_for_a_file_with_nothing_importable(client, grids, town_admin, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id(), grid=GRID_OTHER_TOWN)]
    client.force_login(town_admin)
    job = upload(client, write_xlsx(tmp_path / "v.xlsx", rows), "volunteers")
    assert job.status == "preview" and job.error_count == 1 and job.new_count == 0
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "disabled" in page.split("确认导入</button>")[0][-120:]
    client.post(reverse("imports:confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.status == "preview" and Volunteer.objects.count() == 0


def test_grid_dropdown_name_with_code_is_accepted(client, grids, town_admin, tmp_path):
    client.force_login(town_admin)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("imports:template", args=["volunteers"])).content)
    )
    labels = [c.value for row in book["选项"].iter_rows() for c in row if c.value]
    assert "东湖第一网格（411523001001001）" in labels
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id(), grid="东湖第一网格（411523001001001）"),
    ]
    result = VolunteerImporter(town_admin).run(write_xlsx(tmp_path / "v.xlsx", rows))
    assert result.imported, [str(e) for e in result.errors]
    assert Volunteer.objects.get().grid.code == GRID_EAST
