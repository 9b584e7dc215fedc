"""Grid registers: regions created under the county, scope, the staff board, approvals."""

import pytest

from imports.importers.grids import GridImporter
from portal.snippets.models import Grid, GridStaff, Region

from .conftest import GRID_EAST, GRID_OTHER_TOWN, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "序号", "网格编码", "网格名称", "所属乡镇（街道）", "所属村（社区）", "网格类型",
    "户数", "人口数", "网格长", "网格长电话", "专职网格员", "备注",
]  # fmt: skip


def grid_row(code, name, town, village, *, kind="城市网格", households=400, leader="李明",
             phone="13900139000", workers="王芳、赵强", notes=""):  # fmt: skip
    return ["1", code, name, town, village, kind, households, 1000, leader, phone, workers, notes]


def run(path, user=None, **kwargs):
    return GridImporter(user, **kwargs).run(path)


def board(code):
    grid = Grid.objects.get(code=code)
    return sorted((s.role, s.name, s.work_phone) for s in grid.staff.all())


def test_new_towns_and_villages_are_created_under_the_county(tree, tmp_path):
    rows = [
        ["清河县网格台账"],
        HEADER,
        grid_row("411523001003001", "新村一网格", "青石街道", "新建村", kind="农村"),
        grid_row("411523003001001", "黄河一网格", "黄河镇", "黄河村", kind=""),
        ["合计", None, None, None, None, None, 800, 2000],
    ]
    path = write_xlsx(tmp_path / "grids.xlsx", rows, merges=["A1:L1"])
    preview = run(path, dry_run=True)
    assert preview.ok
    assert preview.new_regions == [
        {"name": "黄河镇", "level": "乡镇（街道）", "parent": "清河县", "code": "411523003"},
        {"name": "新建村", "level": "村（社区）", "parent": "青石街道", "code": "411523001003"},
        {"name": "黄河村", "level": "村（社区）", "parent": "黄河镇", "code": "411523003001"},
    ]
    assert not Region.objects.filter(name__in=["黄河镇", "新建村"]).exists()

    result = run(path)
    assert result.imported
    town = Region.objects.get(name="黄河镇")
    assert town.parent == tree["county"] and town.level == Region.Level.TOWN
    assert town.code == "411523003000"
    village = Region.objects.get(name="黄河村")
    assert village.parent == town and village.code == "411523003001"
    grid = Grid.objects.get(code="411523003001001")
    assert grid.region == village and grid.live
    assert grid.grid_type == Grid.GridType.RURAL  # blank type, village name ends with 村
    assert Grid.objects.get(code="411523001003001").region.parent == tree["town"]


def test_staff_board_is_created_then_left_alone_then_updated(tree, tmp_path):
    rows = [HEADER, grid_row(GRID_EAST, "东湖一网格", "青石街道", "东湖社区")]
    assert run(write_xlsx(tmp_path / "a.xlsx", rows)).imported
    assert board(GRID_EAST) == [
        ("full_time", "王芳", ""),
        ("full_time", "赵强", ""),
        ("leader", "李明", "13900139000"),
    ]
    again = run(write_xlsx(tmp_path / "b.xlsx", rows))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 1, "error": 0}
    assert GridStaff.objects.count() == 3

    rows[1] = grid_row(GRID_EAST, "东湖一网格", "青石街道", "东湖社区", phone="139-0000-1111",
                       workers="王芳")  # fmt: skip
    changed = run(write_xlsx(tmp_path / "c.xlsx", rows))
    assert changed.counts["update"] == 1
    assert changed.samples["update"][0]["changes"] == ["网格长电话", "专职网格员"]
    assert board(GRID_EAST) == [("full_time", "王芳", ""), ("leader", "李明", "13900001111")]
    assert GridStaff.objects.filter(name="赵强").exists()  # unlinked, not deleted


def test_one_leader_for_two_grids_is_one_person(tree, tmp_path):
    rows = [
        HEADER,
        grid_row("411523001001001", "一网格", "青石街道", "东湖社区", workers=""),
        grid_row("411523001001002", "二网格", "青石街道", "东湖社区", workers=""),
    ]
    assert run(write_csv(tmp_path / "g.csv", rows, encoding="gb18030")).imported
    leader = GridStaff.objects.get(role="leader")
    assert sorted(leader.grids.values_list("code", flat=True)) == [
        "411523001001001",
        "411523001001002",
    ]


def test_town_admin_scope(tree, grids, town_admin, tmp_path):
    rows = [
        HEADER,
        grid_row("411523001001009", "东湖九网格", "青石街道", "东湖社区"),  # own town: fine
        grid_row("411523001004001", "新社区网格", "青石街道", "新社区"),  # new village, own town
        grid_row("411523002001009", "白云九网格", "白云镇", "白云村"),  # other town
        grid_row("411523004001001", "新镇网格", "新镇", "新镇村"),  # new town: county only
        grid_row(GRID_OTHER_TOWN, "白云第一网格", "白云镇", "白云村"),  # existing, other town
    ]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows), user=town_admin)
    assert result.refused
    refused = {(e.row, e.column) for e in result.errors}
    assert refused == {(4, "所属村（社区）"), (5, "所属乡镇（街道）"), (6, "所属村（社区）")}
    messages = " ".join(e.message for e in result.errors)
    assert "只有区县管理员可以通过导入新建乡镇（街道）" in messages
    assert "不在您的管辖范围内" in messages
    assert not Grid.objects.filter(code="411523001001009").exists()


def test_county_admin_may_create_towns(tree, county_admin, tmp_path):
    rows = [HEADER, grid_row("411523004001001", "新镇网格", "新镇", "新镇村")]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows), user=county_admin)
    assert result.imported
    assert Region.objects.get(name="新镇").parent == tree["county"]


def test_moving_a_grid_to_another_village_needs_approval(tree, grids, tmp_path):
    rows = [HEADER, grid_row(GRID_EAST, "东湖第一网格", "青石街道", "西岭村")]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.refused
    assert "需经乡镇（街道）审核" in result.errors[0].message
    assert Grid.objects.get(code=GRID_EAST).region == tree["east"]


def test_merged_village_is_refused(tree, tmp_path):
    import datetime

    west = tree["west"]
    west.effective_until = datetime.date(2020, 1, 1)
    west.merged_into = tree["east"]
    west.save()
    rows = [HEADER, grid_row("411523001201009", "西岭九网格", "青石街道", "西岭村")]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.refused
    assert "已撤并，已并入“东湖社区”" in result.errors[0].message


def test_oversized_grid_is_flagged_not_refused(tree, tmp_path):
    rows = [HEADER, grid_row("411523001001009", "大网格", "青石街道", "东湖社区", households=800)]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.imported
    assert "超过省定标准" in result.warnings[0].message
    assert Grid.objects.get(code="411523001001009").is_oversized


def test_bad_codes_and_counts_are_refused(tree, tmp_path):
    rows = [
        HEADER,
        grid_row("4115", "短编码", "青石街道", "东湖社区"),
        grid_row("41152300100100A", "字母", "青石街道", "东湖社区"),
        grid_row("411523001001003", "负户数", "青石街道", "东湖社区", households=-5),
        grid_row("411523001001004", "类型", "青石街道", "东湖社区", kind="山区网格"),
        grid_row("411523001001005", "无网格长", "青石街道", "东湖社区", leader=""),
    ]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    got = {(e.row, e.column): e.message for e in result.errors}
    assert "6到20位" in got[(2, "网格编码")]
    assert "只能由数字组成" in got[(3, "网格编码")]
    assert "不能为负数" in got[(4, "户数")]
    assert "网格类型“山区网格”无法识别" in got[(5, "网格类型")]
    assert "没有填写网格长姓名" in got[(6, "网格长电话")]
