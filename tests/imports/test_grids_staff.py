"""Every role on a grid's board with work phones, in both usual layouts of a register."""

import pytest

from imports.importers.grid_staff import GridStaffImporter
from imports.importers.grids import GridImporter
from portal.snippets.models import Grid, GridStaff

from .conftest import GRID_EAST, GRID_OTHER_TOWN, GRID_WEST, write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "网格编码", "网格名称", "所属乡镇（街道）", "所属村（社区）",
    "网格长", "网格长电话", "专职网格员", "专职网格员电话",
    "兼职网格员", "兼职网格员电话", "网格指导员", "网格指导员电话",
]  # fmt: skip


def board(code):
    grid = Grid.objects.get(code=code)
    return sorted((s.role, s.name, s.work_phone) for s in grid.staff.all())


def test_all_four_roles_with_phones_in_role_columns(tree, tmp_path):
    rows = [
        ["清河县青石街道网格台账"],
        ["填报单位：青石街道综治中心"],
        HEADER,
        [GRID_EAST, "东湖一网格", "青石街道", "东湖社区", "李明", "13900139000",
         "王芳、赵强", "13900139001、13900139002", "孙丽", "13900139003",
         "周建国", "0376-6201234"],
        [GRID_WEST, "西岭一网格", "青石街道", "西岭村", "陈刚", "13900139010",
         "刘洋", "无", "", "", "周建国", "0376-6201234"],
    ]  # fmt: skip
    result = GridImporter(None).run(write_xlsx(tmp_path / "grids.xlsx", rows, merges=["A1:L1"]))
    assert result.imported, result.errors
    assert board(GRID_EAST) == [
        ("full_time", "王芳", "13900139001"),
        ("full_time", "赵强", "13900139002"),
        ("instructor", "周建国", "0376-6201234"),
        ("leader", "李明", "13900139000"),
        ("part_time", "孙丽", "13900139003"),
    ]
    assert board(GRID_WEST) == [
        ("full_time", "刘洋", ""),
        ("instructor", "周建国", "0376-6201234"),
        ("leader", "陈刚", "13900139010"),
    ]
    # one instructor for both grids; part-timers are not full-time
    assert GridStaff.objects.filter(role="instructor").count() == 1
    assert GridStaff.objects.get(name="孙丽").full_time is False

    again = GridImporter(None).run(write_xlsx(tmp_path / "again.xlsx", rows))
    assert again.counts["unchanged"] == 2 and GridStaff.objects.count() == 7

    rows[3][9] = "13900139099"  # 孙丽's phone changes
    rows[3][10] = "周建国、吴敏"
    rows[3][11] = "0376-6201234、13900139098"
    changed = GridImporter(None).run(write_xlsx(tmp_path / "changed.xlsx", rows))
    assert changed.counts["update"] == 1
    assert changed.samples["update"][0]["changes"] == ["兼职网格员电话", "网格指导员"]
    assert ("part_time", "孙丽", "13900139099") in board(GRID_EAST)
    assert ("instructor", "吴敏", "13900139098") in board(GRID_EAST)


def test_phones_not_matching_names_are_refused_by_row_and_column(tree, tmp_path):
    rows = [
        HEADER,
        [GRID_EAST, "东湖一网格", "青石街道", "东湖社区", "李明", "13900139000",
         "王芳、赵强", "13900139001", "", "13900139003", "", ""],
    ]  # fmt: skip
    result = GridImporter(None).run(write_csv(tmp_path / "g.csv", rows))
    assert result.refused and not Grid.objects.filter(code=GRID_EAST).exists()
    found = {(e.row, e.column): e.message for e in result.errors}
    assert (
        "1个电话" in found[(2, "专职网格员电话")] and "王芳、赵强" in found[(2, "专职网格员电话")]
    )
    assert "没有填写兼职网格员姓名" in found[(2, "兼职网格员电话")]


STAFF_HEADER = ["序号", "网格编码", "网格名称", "姓名", "岗位", "工作电话", "是否党员"]


def test_staff_sheet_one_row_per_person(grids, tmp_path):
    rows = [
        ["青石街道网格工作人员名册"],
        ["填报单位：青石街道"],
        STAFF_HEADER,
        [1, GRID_EAST, "东湖第一网格", "李明", "网格长", "13900139000", "是"],
        [2, GRID_EAST, "东湖第一网格", "王芳", "专职网格员", "13900139001", "否"],
        [3, GRID_EAST, "东湖第一网格", "孙丽", "兼职", "13900139003", ""],
        [4, GRID_EAST, "东湖第一网格", "周建国", "网格指导员", "0376-6201234", "是"],
        [5, GRID_WEST, "西岭第一网格", "周建国", "指导员", "0376-6201234", "是"],
    ]
    path = write_xls(tmp_path / "staff.xls", rows)
    preview = GridStaffImporter(None, dry_run=True).run(path)
    assert preview.ok and preview.counts["new"] == 5
    result = GridStaffImporter(None).run(path)
    assert result.imported
    assert board(GRID_EAST) == [
        ("full_time", "王芳", "13900139001"),
        ("instructor", "周建国", "0376-6201234"),
        ("leader", "李明", "13900139000"),
        ("part_time", "孙丽", "13900139003"),
    ]
    assert board(GRID_WEST) == [("instructor", "周建国", "0376-6201234")]
    assert GridStaff.objects.get(name="李明").party_member is True
    assert GridStaff.objects.count() == 4

    again = GridStaffImporter(None).run(write_xls(tmp_path / "again.xls", rows))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 5, "error": 0}

    # 王芳 leaves 东湖第一网格's full-time role: named in the preview, unlinked, kept
    rows[4] = [2, GRID_EAST, "东湖第一网格", "郑凯", "专职网格员", "13900139005", ""]
    preview = GridStaffImporter(None, dry_run=True).run(write_xlsx(tmp_path / "b.xlsx", rows))
    assert any("王芳" in w.message and "公示牌" in w.message for w in preview.warnings)
    GridStaffImporter(None).run(write_xlsx(tmp_path / "b.xlsx", rows))
    assert ("full_time", "郑凯", "13900139005") in board(GRID_EAST)
    assert ("full_time", "王芳", "13900139001") not in board(GRID_EAST)
    assert GridStaff.objects.filter(name="王芳").exists()


def test_staff_sheet_refuses_unknown_grid_bad_role_and_other_scope(grids, town_admin, tmp_path):
    rows = [
        STAFF_HEADER,
        [1, "411523009009009", "", "李明", "网格长", "13900139000", ""],
        [2, GRID_EAST, "", "王芳", "书记", "13900139001", ""],
        [3, GRID_OTHER_TOWN, "", "赵强", "专职网格员", "13900139002", ""],
        [4, GRID_EAST, "", "钱七", "专职网格员", "123", ""],
    ]
    result = GridStaffImporter(town_admin).run(write_xlsx(tmp_path / "s.xlsx", rows))
    assert result.refused and not GridStaff.objects.exists()
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "不存在" in found[(2, "网格编码")]
    assert "岗位“书记”无法识别" in found[(3, "岗位")]
    assert "不在您的管辖范围内" in found[(4, "网格编码")]
    assert (5, "工作电话") in found
