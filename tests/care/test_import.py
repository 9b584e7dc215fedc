"""Care-object rosters through imports/: sealed ID numbers, bad rows refused by row and column."""

import pytest

from imports.importers import can_import, importer_for
from imports.importers.care_objects import CareObjectImporter
from imports.workbook_templates import build_template
from portal.care import services
from portal.care.models import CareObject
from portal.snippets import pii
from tests.imports.conftest import write_xlsx
from tests.registers.conftest import valid_id

from .conftest import make_care_object

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "对象类别", "身份证号码", "联系电话", "居住地址", "所属网格", "需求"]
GRID_A = "411523001001001"
GRID_C = "411523101201001"


def run(path, user):
    return CareObjectImporter(user).run(path)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_roster_imports_sealed(care, tmp_path):
    rows = [
        HEADER,
        [1, "钱守义", "独居", valid_id(11), "138-1234-5678", "东湖路1号", GRID_A, "送药"],
        [2, "孙秀兰", "空巢老人", valid_id(12), "", "", "东湖第一网格（411523001001001）", ""],
    ]
    result = run(write_xlsx(tmp_path / "r.xlsx", rows), care.town_admin_a)
    assert result.imported, errors_of(result)
    qian = CareObject.objects.get(name="钱守义")
    assert qian.kind == CareObject.Kind.ALONE_ELDERLY and qian.phone == "13812345678"
    assert services.full_id_number(qian) == valid_id(11)
    assert qian.id_number_hash == pii.hash_id_number(valid_id(11))
    assert valid_id(11) not in qian.id_number_encrypted
    assert qian.id_number_masked == pii.mask_id_number(valid_id(11))
    assert result.samples["new"][0]["身份证号"] == qian.id_number_masked
    # the same file again changes nothing; a changed cell updates
    again = run(write_xlsx(tmp_path / "r.xlsx", rows), care.town_admin_a)
    assert again.counts["unchanged"] == 2
    rows[1][5] = "东湖路2号"
    changed = run(write_xlsx(tmp_path / "r.xlsx", rows), care.town_admin_a)
    assert changed.counts["update"] == 1
    qian.refresh_from_db()
    assert qian.address == "东湖路2号"


def test_bad_rows_refused_with_row_and_column_and_nothing_written(care, tmp_path):
    bad_check = valid_id(13)[:17] + ("0" if valid_id(13)[17] != "0" else "1")
    rows = [
        HEADER,
        [1, "甲", "独居老人", valid_id(14), "", "", GRID_A, ""],
        [2, "乙", "外星人", valid_id(15), "", "", GRID_A, ""],
        [3, "丙", "独居老人", bad_check, "", "", GRID_A, ""],
        [4, "丁", "独居老人", valid_id(16), "12345", "", GRID_A, ""],
        [5, "戊", "独居老人", valid_id(17), "", "", GRID_C, ""],
        [6, "", "独居老人", valid_id(18), "", "", GRID_A, ""],
        [7, "己", "独居老人", valid_id(14), "", "", GRID_A, ""],
    ]
    result = run(write_xlsx(tmp_path / "bad.xlsx", rows), care.town_admin_a)
    assert result.refused and not result.imported
    found = {(row, column) for row, column, _ in errors_of(result)}
    assert {
        (3, "对象类别"),
        (4, "身份证号码"),
        (5, "联系电话"),
        (6, "所属网格"),
        (7, "姓名"),
        (2, "身份证号码"),
        (8, "身份证号码"),
    } <= found
    messages = dict(((r, c), m) for r, c, m in errors_of(result))
    assert "校验位" in messages[(4, "身份证号码")]
    assert "不在您的管辖范围内" in messages[(6, "所属网格")]
    assert "无法识别" in messages[(3, "对象类别")]
    assert CareObject.objects.count() == 0


def test_number_registered_out_of_scope_is_unavailable(care, tmp_path):
    other = make_care_object(care.grid_c, "诸葛桂兰", 19)
    rows = [HEADER, [1, "冒名", "独居老人", services.full_id_number(other), "", "", GRID_A, ""]]
    result = run(write_xlsx(tmp_path / "r.xlsx", rows), care.town_admin_a)
    (error,) = result.errors
    assert error.message == "无法导入此行：身份证号不可用，请核对或联系上级管理员"
    assert "诸葛桂兰" not in str(result.as_dict())
    other.refresh_from_db()
    assert other.name == "诸葛桂兰" and other.grid == care.grid_c


def test_registration_permissions_and_template(care):
    assert importer_for("care_objects") is CareObjectImporter
    assert can_import(care.town_admin_a, "care_objects")
    assert not can_import(care.worker_a, "care_objects")
    book = build_template("care_objects", care.town_admin_a)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["序号", "姓名", "对象类别"]
    assert sheet.title == "关爱对象名册"
