"""Every spreadsheet the portal writes, by every path, neutralises formula-like text.

Each test writes the classic DDE payload into the data, downloads or writes the
file the way a user gets it, and reads it back with openpyxl or csv: the cell
must hold the text with a leading apostrophe (never a formula), and numbers
must still be numbers.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from wagtail.log_actions import log

from imports.exporting import export_register
from imports.importers.volunteers import VolunteerImporter
from imports.reports import write_error_report
from imports.workbook_templates import build_template
from portal.cases.models import CaseCategory
from portal.security.spreadsheets import neutralise, patch_wagtail_exports
from portal.snippets.models import Grid, Region
from tests.imports.conftest import VOLUNTEER_HEADER, volunteer_row, write_xlsx

pytestmark = pytest.mark.django_db

PAYLOAD = "+cmd|' /C calc'!A0"
SAFE = "'" + PAYLOAD


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def hostile_grid(db):
    county = Region.objects.create(name="清河县", level=Region.Level.COUNTY, code="411523000000")
    town = Region.objects.create(
        name="青石街道", level=Region.Level.TOWN, parent=county, code="411523001000"
    )
    village = Region.objects.create(name="东湖社区", level=Region.Level.VILLAGE, parent=town)
    return Grid.objects.create(
        code="411523001001001", name=PAYLOAD, region=village, households=380, population=990
    )


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def cell_texts(rows):
    return [cell.value for row in rows for cell in row]


def streamed(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-5", "'-5"),  # text that looks like a number is still text
        (-5, -5),  # a number stays a number
        (12.5, 12.5),
        (None, None),
        ("张三", "张三"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_table(value, expected):
    assert neutralise(value) == expected


def test_our_export_neutralises_text_and_keeps_numbers(client, superuser, hostile_grid):
    client.force_login(superuser)
    response = client.get(reverse("imports:export", args=["grids"]))
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    row = next(r for r in rows if r[0].value == hostile_grid.code)
    names = [cell for cell in row if isinstance(cell.value, str) and PAYLOAD in cell.value]
    assert [cell.value for cell in names] == [SAFE]
    assert all(cell.data_type == "s" for cell in names)
    # households: import-export renders it as the text "380", which needs no apostrophe
    assert "380" in [cell.value for cell in row]
    # the command-line export writes the same file
    out = io.BytesIO()
    export_register("grids", None, out)
    assert SAFE in cell_texts(xlsx_rows(out.getvalue()))


def test_error_report_neutralises_the_rows_it_copies(tmp_path, settings, hostile_grid):
    settings.IMPORT_PRIVATE_ROOT = tmp_path / "private"
    rows = [
        VOLUNTEER_HEADER,
        # a text cell in .xlsx is imported as text; this row is refused for its ID number
        volunteer_row(1, PAYLOAD, "123", grid=hostile_grid.code, 备注="=HYPERLINK(1)"),
    ]
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    result = VolunteerImporter(None, skip_invalid=True, dry_run=True).run(path)
    assert result.refused_rows  # the bad row
    out = tmp_path / "report.xlsx"
    assert write_error_report(path, "roster.xlsx", result, out) == 1
    texts = cell_texts(xlsx_rows(out.read_bytes()))
    assert SAFE in texts
    assert PAYLOAD not in texts
    assert not any(isinstance(t, str) and t.startswith("=") for t in texts)


def test_import_template_neutralises_database_values(superuser, hostile_grid):
    CaseCategory.objects.create(name=PAYLOAD, code="evil", deadline_days=7)
    CaseCategory.objects.create(name="=cmd|' /C calc'!A0", code="evil2", deadline_days=7)
    book = build_template("cases", superuser)
    out = io.BytesIO()
    book.save(out)
    saved = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    texts = [c.value for sheet in saved.worksheets for row in sheet.iter_rows() for c in row]
    assert SAFE in texts and "'=cmd|' /C calc'!A0" in texts
    cells = [c for sheet in saved.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    # the drop-down lists still point at the options sheet
    first = saved.worksheets[0]
    assert first.data_validations.dataValidation


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_snippet_list_export(client, superuser, hostile_grid, fmt):
    client.force_login(superuser)
    url = reverse("wagtailsnippets_snippets_grid:list")
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200
    content = streamed(response)
    if fmt == "csv":
        text = content.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        row = next(r for r in rows if r[0] == hostile_grid.code)
        assert SAFE in row and PAYLOAD not in row
        assert '"' + SAFE + '"' in text  # the text field is quoted
        assert ",380," in text  # a number is written unquoted
    else:
        rows = xlsx_rows(content)
        row = next(r for r in rows if r[0].value == hostile_grid.code)
        values = [cell.value for cell in row]
        assert SAFE in values and PAYLOAD not in values
        assert 380 in values


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_site_history_report_export(client, superuser, hostile_grid, fmt):
    log(instance=hostile_grid, action="wagtail.edit", user=superuser)
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": fmt})
    assert response.status_code == 200
    content = streamed(response)
    if fmt == "csv":
        values = [v for row in csv.reader(io.StringIO(content.decode("utf-8"))) for v in row]
    else:
        values = cell_texts(xlsx_rows(content))
    labels = [v for v in values if isinstance(v, str) and PAYLOAD in v]
    assert labels == [f"{SAFE}（{hostile_grid.code}）"]  # the log entry's label


def test_wagtail_heading_and_patch_is_idempotent(superuser):
    """A heading that starts like a formula is neutralised too; patching twice changes nothing."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    patch_wagtail_exports()
    patch_wagtail_exports()

    class View(SpreadsheetExportMixin):
        list_export = ["username", "pk"]
        export_headings = {"username": "=HEADING()", "pk": "编号"}

    queryset = User.objects.filter(pk=superuser.pk)
    superuser.username = "-1+cmd|x"
    superuser.save()
    out = io.BytesIO()
    View().write_xlsx(queryset, out)
    rows = xlsx_rows(out.getvalue())
    assert [c.value for c in rows[0]] == ["'=HEADING()", "编号"]
    assert [c.value for c in rows[1]] == ["'-1+cmd|x", superuser.pk]
    csv_text = b"".join(View().stream_csv(queryset)).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == f'"\'-1+cmd|x",{superuser.pk}'
    assert list(csv.reader(io.StringIO(csv_text))) == [
        ["'=HEADING()", "编号"],
        ["'-1+cmd|x", str(superuser.pk)],
    ]
