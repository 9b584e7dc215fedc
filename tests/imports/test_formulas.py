"""Formula-like cells on import: what is refused, what is data (see ``imports.formulas``)."""

import pytest

from imports.formulas import is_formula_text
from imports.importers.volunteers import VolunteerImporter
from portal.snippets.models import Volunteer

from .conftest import VOLUNTEER_HEADER, make_id, volunteer_row, write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

REFUSED = [
    "=1+1",
    '=HYPERLINK("http://x","点我")',
    "+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "@x",
    "\t=1+1",
    "\r=1+1",
    "\r\n+cmd|x",
    "  =1",
    "\u3000=1",
    "+A1",
    "-张三",
    "+86 138 0013 8000 转 A1",
]
ACCEPTED = [
    "-5",
    "+3.5",
    "-1,234.50",
    "-1.5E+3",
    "+86 138 0013 8000",
    "+86-371-6300-1234",
    "+86 (371) 6300 1234",
    "-12%",
    "-",
    "--",
    "+",
    "@",
    "张三",
    "a=b",
    "邮箱 x@example.com",
    "\t张三",
    "",
]


@pytest.mark.parametrize("value", REFUSED)
def test_formula_text_is_recognised(value):
    assert is_formula_text(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_plain_data_is_not_a_formula(value):
    assert not is_formula_text(value)


def test_non_text_is_never_a_formula():
    assert not is_formula_text(-5) and not is_formula_text(None)


def roster(remark, seq=1):
    return [VOLUNTEER_HEADER, volunteer_row(seq, "张三", make_id(), 备注=remark)]


@pytest.mark.parametrize("value", REFUSED)
def test_csv_formula_cell_is_refused_with_row_and_column(grids, tmp_path, value):
    result = VolunteerImporter(dry_run=True).run(write_csv(tmp_path / "r.csv", roster(value)))
    assert result.refused
    assert [(e.row, e.column) for e in result.errors if "公式" in e.message] == [(2, "备注")]
    assert "第 2 行“备注”列" in str(result.errors[0])


@pytest.mark.parametrize("value", [v for v in ACCEPTED if v.strip()])
def test_csv_plain_data_is_imported(grids, tmp_path, value):
    result = VolunteerImporter().run(write_csv(tmp_path / "r.csv", roster(value)))
    assert result.imported, [str(e) for e in result.errors]
    assert Volunteer.objects.count() == 1


def test_csv_plus_phone_number_in_phone_column_is_not_called_a_formula(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id(), phone="+86 138 0013 8000")]
    result = VolunteerImporter(dry_run=True).run(write_csv(tmp_path / "r.csv", rows))
    assert not [e for e in result.errors if "公式" in e.message]


def test_xlsx_formula_cell_is_refused_but_xlsx_text_is_data(grids, tmp_path):
    """In .xlsx a string cell is text that Excel never evaluates; a formula cell is refused."""
    formula = write_xlsx(tmp_path / "f.xlsx", roster("=1+1"))  # openpyxl: a real formula
    result = VolunteerImporter(dry_run=True).run(formula)
    assert [(e.row, e.column) for e in result.errors] == [(2, "备注")]

    text = tmp_path / "t.xlsx"
    write_xlsx(text, roster("+cmd|' /C calc'!A0"))  # a plain string cell
    result = VolunteerImporter().run(text)
    assert result.imported
    assert Volunteer.objects.get().notes == "+cmd|' /C calc'!A0"


def test_xls_formula_record_is_refused(grids, tmp_path):
    path = write_xls(tmp_path / "r.xls", roster("x"), formulas=[(1, 12, "1+1")])
    result = VolunteerImporter(dry_run=True).run(path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "备注")]
