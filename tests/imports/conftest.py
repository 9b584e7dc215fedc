"""Fixtures for the import/export tests: a small region tree, grids, users, file builders."""

import csv
import datetime

import openpyxl
import pytest
import xlwt
from django.contrib.auth.models import User

from portal.cases.models import CaseCategory
from portal.groups import COUNTY_ADMIN, TOWN_ADMIN, ensure_groups
from portal.snippets.models import Grid
from tests.factories import make_staff, region_tree, with_check_digit

VOLUNTEER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "手机号码",
    "出生日期",
    "政治面貌",
    "所属网格",
    "服务队伍",
    "专业特长",
    "注册日期",
    "累计服务时长（小时）",
    "备注",
]

GRID_EAST = "411523001001001"  # 青石街道 / 东湖社区
GRID_WEST = "411523001201001"  # 青石街道 / 西岭村
GRID_OTHER_TOWN = "411523002001001"  # 白云镇 / 白云村


def make_id(birth="19900307", seq="451", area="110101"):
    """A valid 18-digit ID number (correct check digit)."""
    return with_check_digit(f"{area}{birth}{seq}")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.IMPORT_PRIVATE_ROOT = tmp_path / "private-imports"


@pytest.fixture
def tree(db):
    # Villages without codes: the region-import tests add coded villages themselves.
    tree = region_tree(
        other_town=("白云镇", "411523002000"), other_village=("白云村", ""), village_codes=False
    )
    return {
        "county": tree.county,
        "town": tree.town,
        "other_town": tree.other_town,
        "east": tree.donghu,
        "west": tree.xiling,
        "other": tree.baisha,
    }


@pytest.fixture
def grids(tree):
    return {
        "east": Grid.objects.create(code=GRID_EAST, name="东湖第一网格", region=tree["east"]),
        "west": Grid.objects.create(code=GRID_WEST, name="西岭第一网格", region=tree["west"]),
        "other": Grid.objects.create(
            code=GRID_OTHER_TOWN, name="白云第一网格", region=tree["other"]
        ),
    }


@pytest.fixture
def categories(db):
    return {
        "dispute": CaseCategory.objects.create(
            name="矛盾纠纷", code="dispute", deadline_days=15, is_dispute=True
        ),
        "environment": CaseCategory.objects.create(
            name="环境卫生", code="environment", deadline_days=7
        ),
    }


@pytest.fixture
def groups(db):
    return ensure_groups()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


def _staff(username, group_name, region):
    return make_staff(username, [group_name], [region], password="pw-staff-123", is_staff=True)


@pytest.fixture
def town_admin(groups, tree):
    """Admin of 青石街道 only."""
    return _staff("qingshi", TOWN_ADMIN, tree["town"])


@pytest.fixture
def county_admin(groups, tree):
    return _staff("county", COUNTY_ADMIN, tree["county"])


# --- file builders ------------------------------------------------------------------------


def write_xlsx(path, rows, *, merges=(), text_columns=()):
    """Rows as given (strings starting with "=" become real formulas in openpyxl)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for letter in text_columns:
        for cell in sheet[letter]:
            cell.number_format = "@"
    workbook.save(path)
    return path


def write_xls(path, rows, *, formulas=()):
    """An Excel 97-2003 file. ``formulas``: (row index, col index, expression)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册", cell_overwrite_ok=True)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    for r, c, expression in formulas:
        sheet.write(r, c, xlwt.Formula(expression))
    book.save(str(path))
    return path


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def volunteer_row(seq, name, id_number, grid=GRID_EAST, phone="13800138000", **extra):
    values = {
        "性别": "",
        "出生日期": "",
        "政治面貌": "群众",
        "服务队伍": "青石志愿服务队",
        "专业特长": "医疗、法律",
        "注册日期": "2023-05-01",
        "累计服务时长（小时）": 12.5,
        "备注": "",
        **extra,
    }
    return [
        seq,
        name,
        values["性别"],
        id_number,
        phone,
        values["出生日期"],
        values["政治面貌"],
        grid,
        values["服务队伍"],
        values["专业特长"],
        values["注册日期"],
        values["累计服务时长（小时）"],
        values["备注"],
    ]


@pytest.fixture
def roster_rows():
    """Title row, 填报单位 row, header, three good rows, a blank row and a totals row."""
    return [
        ["青石街道志愿者花名册（2026年）"],
        ["填报单位：青石街道办事处", None, None, "填报日期：2026年1月5日"],
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id("19900307", "451")),
        volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_WEST),
        volunteer_row(3, "王五", make_id("19780101", "123"), phone="0371-63001234"),
        [None] * 13,
        ["合计", None, None, None, None, None, None, None, None, None, None, 37.5, None],
    ]
