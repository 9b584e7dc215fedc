"""Region registers: a county's tree before its grids; codes checked against each other."""

import datetime

import pytest
from django.core.management import call_command

from imports.importers.regions import RegionImporter
from portal.snippets.models import Region

from .conftest import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "区划代码", "名称", "层级", "上级代码", "上级名称", "生效日期", "失效日期"]


def tree_rows():
    return [
        ["浉河区行政区划表"],
        ["填报单位：浉河区民政局"],
        HEADER,
        [1, "411502", "浉河区", "区县", "", "", "", ""],
        [2, "411502001", "五星街道", "街道", "411502", "浉河区", "", ""],
        [3, "411502101", "东双河镇", "", "", "", "", ""],
        [4, "411502001001", "五星社区", "社区", "411502001", "五星街道", "2019-01-01", ""],
        [5, "411502101201", "东双河村", "村", "", "东双河镇", "", ""],
        [6, "411502101202", "老庄村", "村", "", "", "2001-01-01", "2025-06-30"],
    ]


def test_a_county_tree_is_imported_then_left_alone(tmp_path):
    path = write_xlsx(tmp_path / "区划.xlsx", tree_rows(), merges=["A1:H1"])
    preview = RegionImporter(None, dry_run=True).run(path)
    assert preview.ok, preview.errors
    assert [(r["name"], r["level"], r["parent"], r["code"]) for r in preview.new_regions] == [
        ("浉河区", "区县", "（最上级）", "411502"),
        ("五星街道", "乡镇/街道", "浉河区", "411502001"),
        ("东双河镇", "乡镇/街道", "浉河区", "411502101"),
        ("五星社区", "村/社区", "五星街道", "411502001001"),
        ("东双河村", "村/社区", "东双河镇", "411502101201"),
        ("老庄村", "村/社区", "东双河镇", "411502101202"),
    ]
    assert not Region.objects.exists()

    assert RegionImporter(None).run(path).imported
    county = Region.objects.get(parent__isnull=True)
    assert (county.name, county.code, county.level) == ("浉河区", "411502000000", "county")
    village = Region.objects.get(code="411502001001")
    assert village.parent.name == "五星街道" and village.effective_from == datetime.date(2019, 1, 1)
    merged = Region.objects.get(name="老庄村")
    assert merged.effective_until == datetime.date(2025, 6, 30) and not merged.is_effective()

    again = RegionImporter(None).run(write_xlsx(tmp_path / "again.xlsx", tree_rows()))
    assert again.imported and again.counts["unchanged"] == 6 and Region.objects.count() == 6

    rows = tree_rows()
    rows[4][2] = "五星路街道"  # renamed
    changed = RegionImporter(None).run(write_csv(tmp_path / "c.csv", rows, encoding="gb18030"))
    assert changed.counts["update"] == 1
    assert Region.objects.get(code="411502001000").name == "五星路街道"


def test_bad_rows_are_refused_with_row_and_column(tmp_path):
    rows = [
        HEADER,
        [1, "411502", "浉河区", "", "", "", "", ""],
        [2, "41150200", "八位", "", "", "", "", ""],
        [3, "411502001", "五星街道", "村", "", "", "", ""],
        [4, "411502001001", "五星社区", "", "411502002", "", "", ""],
        [5, "411502009001", "孤村", "", "", "", "", ""],
        [6, "411502003", "湖东街道", "", "", "平桥区", "", ""],
        [7, "411502004", "金牛山街道", "", "", "", "2020-01-01", "2019-01-01"],
        [8, "411502005", "老城街道", "省", "", "", "", ""],
        [9, "411502001002", "甲社区", "", "", "", "", ""],
        [10, "411502001002", "乙社区", "", "", "", "", ""],
    ]
    result = RegionImporter(None).run(write_xlsx(tmp_path / "bad.xlsx", rows))
    assert result.refused and not Region.objects.exists()
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "8位" in found[(3, "区划代码")]
    assert "与层级“村/社区”不一致" in found[(4, "层级")]
    assert "上级代码应为 411502001" in found[(5, "上级代码")]
    assert "不在系统中，也不在本表中" in found[(6, "上级代码")]
    assert "与上级代码 411502 所指的“浉河区”不一致" in found[(7, "上级名称")]
    assert "失效日期必须晚于生效日期" in found[(8, "失效日期")]
    assert "无法识别" in found[(9, "层级")]
    assert "重复" in found[(10, "区划代码")] and "重复" in found[(11, "区划代码")]


def test_a_second_county_and_a_move_are_refused(tmp_path):
    assert RegionImporter(None).run(write_xlsx(tmp_path / "a.xlsx", tree_rows())).imported
    rows = [
        HEADER,
        [1, "411503", "平桥区", "", "", "", "", ""],
        [2, "411502001001", "五星社区", "", "", "", "", ""],
        [3, "411502101001", "五星社区", "", "", "", "", ""],
    ]
    result = RegionImporter(None).run(write_xlsx(tmp_path / "b.xlsx", rows))
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "一个门户只有一个区县" in found[(2, "区划代码")]
    assert (3, "区划代码") not in found  # unchanged row
    assert Region.objects.filter(name="五星社区").count() == 1


def test_names_made_by_a_grid_import_get_their_codes(tmp_path):
    county = Region.objects.create(name="浉河区", level="county", code="411502000000")
    town = Region.objects.create(name="五星街道", level="town", parent=county, code="411502001000")
    village = Region.objects.create(name="五星社区", level="village", parent=town)
    rows = [HEADER, [1, "411502001001", "五星社区", "", "", "", "", ""]]
    result = RegionImporter(None).run(write_xlsx(tmp_path / "r.xlsx", rows))
    assert result.imported and result.counts["update"] == 1
    village.refresh_from_db()
    assert village.code == "411502001001"


def test_town_admin_may_add_villages_in_scope_only(tree, town_admin, tmp_path):
    rows = [
        HEADER,
        [1, "411523001009", "新村", "", "", "", "", ""],
        [2, "411523002009", "白云新村", "", "", "", "", ""],
        [3, "411523", "清河县", "", "", "", "", ""],
    ]
    result = RegionImporter(town_admin).run(write_xlsx(tmp_path / "r.xlsx", rows))
    found = {(e.row, e.column): e.message for e in result.errors}
    assert set(found) == {(3, "区划代码"), (4, "区划代码")}
    assert "不在您的管辖范围内" in found[(3, "区划代码")]


def test_the_command_line_imports_regions(tmp_path, capsys):
    path = write_xlsx(tmp_path / "区划.xlsx", tree_rows())
    call_command("import_data", "regions", str(path))
    assert Region.objects.count() == 6
    assert "新建村/社区" in capsys.readouterr().out
