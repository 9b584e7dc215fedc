"""Volunteer rosters: accepted quirks, refusals, atomicity, idempotency, scope."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.importers.volunteers import CARRY_FORWARD_ACTIVITY, VolunteerImporter
from portal.snippets.models import ServiceRecord, Volunteer, VolunteerTeam
from portal.snippets.pii import decrypt_id_number, hash_id_number, id_check_code

from .conftest import (
    GRID_EAST,
    GRID_OTHER_TOWN,
    GRID_WEST,
    VOLUNTEER_HEADER,
    make_id,
    volunteer_row,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def run(path, user=None, **kwargs):
    return VolunteerImporter(user, **kwargs).run(path)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def snapshot():
    """Everything an import may write, to compare before and after."""
    return (
        sorted(Volunteer.objects.values_list(
            "id", "name", "gender", "phone", "birth_date", "political_status", "grid_id",
            "registration_date", "notes", "id_number_hash",
        )),
        sorted(Volunteer.teams.through.objects.values_list("volunteer_id", "volunteerteam_id")),
        sorted(ServiceRecord.objects.values_list("volunteer_id", "hours")),
        sorted(VolunteerTeam.objects.values_list("name", flat=True)),
    )  # fmt: skip


def test_roster_imports_with_derived_fields(grids, roster_rows, tmp_path):
    result = run(write_xlsx(tmp_path / "r.xlsx", roster_rows))
    assert result.imported
    zhang = Volunteer.objects.get(name="张三")
    number = make_id("19900307", "451")
    assert zhang.id_number_hash == hash_id_number(number)
    assert decrypt_id_number(zhang.id_number_encrypted) == number
    assert zhang.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert zhang.gender == "M"  # 17th digit 5 is odd; the sheet left gender blank
    assert zhang.birth_date == datetime.date(1990, 3, 7)
    assert zhang.registration_date == datetime.date(2023, 5, 1)
    assert sorted(zhang.skills.names()) == ["医疗", "法律"]
    assert [team.name for team in zhang.teams.all()] == ["青石志愿服务队"]
    assert result.new_teams == ["青石志愿服务队"]
    assert Volunteer.objects.get(name="王五").phone == "0371-63001234"
    record = ServiceRecord.objects.get(volunteer=zhang)
    assert record.hours == Decimal("12.5") and record.activity == CARRY_FORWARD_ACTIVITY


def test_values_as_people_type_them(grids, tmp_path):
    header = [
        "姓名", "身份证号码", "联系电话", "出生年月", "政治面貌", "所属网格编码",
        "志愿服务队", "特长", "注册时间", "性别",
    ]  # fmt: skip
    # an ID number whose check digit is X, typed with a lowercase x and full-width digits
    base = next(
        f"1101011988123102{n}" for n in range(10) if id_check_code(f"1101011988123102{n}") == "X"
    )
    number = base + "X"
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in base) + "x"
    rows = [
        header,
        [" 张 三 ", full_width, "138-0013-8000", "1988.12", "党员", " 411523001001001 ", "", "",
         "2023年5月1日", ""],
        ["李四", make_id("19900307", "451"), 13900139000.0, datetime.date(1990, 3, 7), "共青团员",
         float(GRID_EAST), "", "", "2023.5.1", "男"],
        ["王五", make_id("19851120", "362"), "１３７００１３７０００", "", "群众", GRID_WEST, "", "",
         "2023/05/01", ""],
        ["赵六", make_id("19780101", "123"), "+86 136 0013 6000", "", "", GRID_WEST, "", "",
         datetime.datetime(2023, 5, 1, 0, 0), ""],
        ["钱七", make_id("19700101", "232"), "", "", "中共预备党员", GRID_WEST, "", "",
         "2023-05-01", ""],
    ]  # fmt: skip
    result = run(write_xlsx(tmp_path / "typed.xlsx", rows))
    assert result.imported, errors_of(result)
    zhang = Volunteer.objects.get(name="张三")
    assert zhang.id_number_hash == hash_id_number(number)
    assert zhang.phone == "13800138000"
    assert zhang.political_status == "cpc"
    assert zhang.gender == ("M" if int(base[16]) % 2 else "F")  # derived from the ID
    assert Volunteer.objects.get(name="李四").phone == "13900139000"
    assert Volunteer.objects.get(name="王五").phone == "13700137000"
    assert Volunteer.objects.get(name="赵六").phone == "13600136000"
    assert Volunteer.objects.get(name="钱七").political_status == "cpc_prob"
    assert Volunteer.objects.get(name="赵六").political_status == "masses"  # blank → 群众
    assert set(Volunteer.objects.values_list("registration_date", flat=True)) == {
        datetime.date(2023, 5, 1)
    }


def test_every_refusal_is_listed_with_row_and_column(grids, tmp_path):
    good = make_id("19900307", "451")
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        ["志愿者花名册"],
        VOLUNTEER_HEADER,
        volunteer_row(1, "甲", bad_check),
        volunteer_row(2, "乙", make_id("19901301", "111")),  # month 13: impossible birth date
        volunteer_row(3, "丙", 4.11502199001011e17),  # stored as a number by Excel
        volunteer_row(4, "丁", "4.11502E+17"),  # the number as CSV/text shows it
        volunteer_row(5, "戊", "411502199001011000"),  # lost its last digits
        volunteer_row(6, "己", good),
        volunteer_row(7, "庚", good),  # same ID twice
        volunteer_row(8, "辛", make_id("19800101", "111"), grid="411523999999999"),
        volunteer_row(9, "壬", make_id("19800101", "222"), phone="1380013800"),
        volunteer_row(10, "", make_id("19800101", "333")),
        volunteer_row(11, "癸", make_id("19800101", "444"), 注册日期="2023-02-30"),
        volunteer_row(12, "子", make_id("19800101", "555"), 性别="女"),  # ID says male
        volunteer_row(13, "丑", make_id("19800101", "666"), 出生日期="1980-02-01"),
        volunteer_row(14, "寅", make_id("19800101", "777"), 政治面貌="党外人士"),
    ]
    result = run(write_xlsx(tmp_path / "bad.xlsx", rows))
    assert result.refused and not result.imported
    assert Volunteer.objects.count() == 0
    found = errors_of(result)
    by_row = {}
    for row, column, message in found:
        by_row.setdefault(row, []).append((column, message))

    def has(row, column, fragment):
        return any(c == column and fragment in m for c, m in by_row.get(row, []))

    assert has(3, "身份证号", "校验位错误")
    assert has(4, "身份证号", "出生日期 19901301 不存在")
    assert has(5, "身份证号", "请将该列设置为文本格式")
    assert has(6, "身份证号", "请将该列设置为文本格式")
    assert has(7, "身份证号", "请将该列设置为文本格式")
    assert has(8, "身份证号", "与第 9 行重复") and has(9, "身份证号", "与第 8 行重复")
    assert has(10, "所属网格", "网格编码“411523999999999”不存在")
    assert has(11, "手机号码", "手机号码应为11位")
    assert has(12, "姓名", "不能为空")
    assert has(13, "注册日期", "日期“2023-02-30”不存在")
    assert has(14, "性别", "性别与身份证号不一致")
    assert has(15, "出生日期", "出生日期与身份证号不一致")
    assert has(16, "政治面貌", "无法识别")
    assert result.counts["error"] == 14
    assert "共 14 行有错误" in result.message


def test_one_bad_row_at_the_end_leaves_database_exactly_as_it_was(grids, roster_rows, tmp_path):
    run(write_xlsx(tmp_path / "first.xlsx", roster_rows))
    before = snapshot()
    rows = [VOLUNTEER_HEADER] + [
        volunteer_row(i, f"新人{i}", make_id("19920202", f"{i:03d}")) for i in range(1, 40)
    ]
    rows.append(volunteer_row(1, "张三", make_id("19900307", "451"), phone="13912345678"))
    rows.append(volunteer_row(99, "坏行", make_id("19920202", "999")[:-1] + "Z"))
    result = run(write_xlsx(tmp_path / "second.xlsx", rows))
    assert result.refused
    assert result.counts["new"] == 39 and result.counts["update"] == 1
    assert [e.row for e in result.errors] == [42]
    assert snapshot() == before


def test_second_import_of_same_file_writes_nothing(grids, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", roster_rows)
    run(path)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        result = run(path)
    assert result.imported
    assert result.counts == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert snapshot() == before


def test_changed_phone_updates_only_that_volunteer(grids, roster_rows, tmp_path):
    run(write_xlsx(tmp_path / "r.xlsx", roster_rows))
    before = {v.name: (v.phone, v.pk) for v in Volunteer.objects.all()}
    roster_rows[4][4] = "13911112222"  # 李四's phone
    result = run(write_xlsx(tmp_path / "r2.xlsx", roster_rows))
    assert result.counts == {"new": 0, "update": 1, "unchanged": 2, "error": 0}
    assert result.samples["update"][0]["changes"] == ["手机号码"]
    after = {v.name: (v.phone, v.pk) for v in Volunteer.objects.all()}
    assert after["李四"] == ("13911112222", before["李四"][1])
    assert after["张三"] == before["张三"] and after["王五"] == before["王五"]


def test_blank_cells_keep_stored_values_and_filled_ones_replace_them(grids, roster_rows, tmp_path):
    run(write_xlsx(tmp_path / "r.xlsx", roster_rows))
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id("19900307", "451"), phone="")]
    rows[1][8] = "东湖志愿服务队、青石志愿服务队"
    rows[1][9] = ""
    result = run(write_xlsx(tmp_path / "r2.xlsx", rows))
    assert result.counts["update"] == 1
    zhang = Volunteer.objects.get(name="张三")
    assert zhang.phone == "13800138000"  # blank did not clear it
    assert sorted(t.name for t in zhang.teams.all()) == ["东湖志愿服务队", "青石志愿服务队"]
    assert sorted(zhang.skills.names()) == ["医疗", "法律"]
    assert VolunteerTeam.objects.get(name="东湖志愿服务队").region.name == "青石街道"


def test_skip_invalid_imports_good_rows_and_lists_refused_ones(grids, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id()),
        volunteer_row(2, "坏行", "123"),
        volunteer_row(3, "李四", make_id("19851120", "362")),
    ]
    result = run(write_xlsx(tmp_path / "r.xlsx", rows), skip_invalid=True)
    assert result.imported
    assert result.skipped == 1
    assert result.refused_rows == {3: ["身份证号应为18位，实际为3位"]}
    assert set(Volunteer.objects.values_list("name", flat=True)) == {"张三", "李四"}


def test_dry_run_writes_nothing(grids, roster_rows, tmp_path):
    result = run(write_xlsx(tmp_path / "r.xlsx", roster_rows), dry_run=True)
    assert result.ok and not result.imported
    assert result.counts["new"] == 3
    assert Volunteer.objects.count() == 0 and VolunteerTeam.objects.count() == 0


def test_town_admin_cannot_import_into_another_towns_grid(grids, town_admin, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id()),
        volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_OTHER_TOWN),
        volunteer_row(3, "王五", make_id("19780101", "123"), grid=GRID_OTHER_TOWN),
    ]
    result = run(write_xlsx(tmp_path / "r.xlsx", rows), user=town_admin)
    assert result.refused
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属网格"), (4, "所属网格")]
    assert "不在您的管辖范围内" in result.errors[0].message
    assert Volunteer.objects.count() == 0


def test_town_admin_cannot_change_volunteer_registered_elsewhere(grids, town_admin, tmp_path):
    number = make_id()
    run(
        write_xlsx(
            tmp_path / "a.xlsx",
            [VOLUNTEER_HEADER, volunteer_row(1, "张三", number, grid=GRID_OTHER_TOWN)],
        )
    )
    result = run(
        write_xlsx(tmp_path / "b.xlsx", [VOLUNTEER_HEADER, volunteer_row(1, "张三", number)]),
        user=town_admin,
    )
    assert result.refused
    # no existence oracle (issue 10): the message does not say the person exists elsewhere
    assert result.errors[0].message == "无法导入此行：身份证号不可用，请核对或联系上级管理员"
    assert Volunteer.objects.get().grid.code == GRID_OTHER_TOWN


def test_grid_may_be_named_instead_of_coded(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id(), grid="西岭第一网格")]
    result = run(write_xlsx(tmp_path / "r.xlsx", rows))
    assert result.imported, errors_of(result)
    assert Volunteer.objects.get().grid.code == GRID_WEST
