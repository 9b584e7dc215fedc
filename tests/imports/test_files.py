"""File-level checks: formats, encodings, sizes, zip bombs, formulas, table layout."""

import io
import struct
import zipfile

import openpyxl
import pytest

from imports.formulas import scan_xlsx, xls_formula_cells
from imports.importers.volunteers import VolunteerImporter
from imports.reading import open_sheet
from imports.safety import FileRefused, Limits, check_file
from portal.snippets.models import Volunteer

from .conftest import (
    GRID_EAST,
    VOLUNTEER_HEADER,
    make_id,
    volunteer_row,
    write_csv,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def run(path, **kwargs):
    return VolunteerImporter(**kwargs).run(path)


def messages(result):
    return [str(error) for error in result.errors]


# --- formats ---------------------------------------------------------------------------------


def test_xlsx_with_merged_title_and_unit_line_imports(grids, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", roster_rows, merges=["A1:M1", "A2:C2"])
    result = run(path)
    assert result.imported, messages(result)
    assert result.header_row == 3
    assert result.counts["new"] == 3
    assert Volunteer.objects.count() == 3


def test_xls_excel_97_file_imports(grids, roster_rows, tmp_path):
    path = write_xls(tmp_path / "花名册.xls", roster_rows)
    result = run(path)
    assert result.imported, messages(result)
    assert set(Volunteer.objects.values_list("name", flat=True)) == {"张三", "李四", "王五"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encoding_is_detected(grids, roster_rows, tmp_path, encoding):
    rows = [[("" if v is None else v) for v in row] for row in roster_rows]
    path = write_csv(tmp_path / "花名册.csv", rows, encoding=encoding)
    result = run(path)
    assert result.imported, messages(result)
    assert Volunteer.objects.get(name="李四").grid.code == rows[4][7]


def test_csv_in_utf16_tab_separated_imports(grids, tmp_path):
    lines = ["\t".join(VOLUNTEER_HEADER)]
    lines.append("\t".join(str(v) for v in volunteer_row(1, "张三", make_id())))
    path = tmp_path / "unicode.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    result = run(path)
    assert result.imported, messages(result)


def test_csv_in_unknown_encoding_is_refused(grids, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\xfa" * 10 + b"\x81\x30")  # neither UTF-8 nor GB18030 text
    path.write_bytes(bytes(range(0x80, 0x100)) * 3)
    result = run(path)
    assert result.refused
    assert "编码" in result.message or "不是文本" in result.message


# --- not what its name says ----------------------------------------------------------------------


def test_xlsx_renamed_to_csv_is_refused(grids, roster_rows, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows)
    renamed = path.rename(tmp_path / "roster.csv")
    result = run(renamed)
    assert result.refused
    assert "扩展名表示CSV" in result.message and ".xlsx" in result.message


def test_csv_renamed_to_xlsx_is_refused(grids, roster_rows, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [VOLUNTEER_HEADER])
    result = run(path.rename(tmp_path / "roster.xlsx"))
    assert result.refused
    assert "纯文本" in result.message


def test_html_saved_as_xls_is_refused(grids, tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><table><tr><td>姓名</td></tr></table></html>", encoding="utf-8")
    result = run(path)
    assert result.refused
    assert "网页" in result.message


def test_word_document_named_xlsx_is_refused(grids, tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    result = run(path)
    assert result.refused
    assert "不是 Excel 工作簿" in result.message


def test_empty_file_is_refused(grids, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    result = run(path)
    assert result.refused and "空的" in result.message


def test_unsupported_extension_is_refused(grids, tmp_path):
    path = tmp_path / "roster.ods"
    path.write_bytes(b"anything")
    result = run(path)
    assert result.refused and ".ods" in result.message


def test_empty_sheet_is_refused(grids, tmp_path):
    path = write_xlsx(tmp_path / "blank.xlsx", [])
    result = run(path)
    assert result.refused
    assert "没有任何内容" in result.message


def test_header_without_rows_is_refused(grids, tmp_path):
    path = write_xlsx(
        tmp_path / "header-only.xlsx", [["志愿者花名册"], VOLUNTEER_HEADER, [None] * 13]
    )
    result = run(path)
    assert result.refused
    assert "第 2 行" in result.message and "没有数据行" in result.message


def test_missing_required_column_is_refused_by_name(grids, tmp_path):
    header = [h for h in VOLUNTEER_HEADER if h != "身份证号"]
    path = write_xlsx(tmp_path / "no-id.xlsx", [header, ["1", "张三"]])
    result = run(path)
    assert result.refused
    assert "缺少必填列：身份证号" in result.message


def test_no_header_at_all_is_refused(grids, tmp_path):
    path = write_xlsx(tmp_path / "junk.xlsx", [["a", "b"], [1, 2]])
    result = run(path)
    assert result.refused
    assert "没有找到表头" in result.message and "姓名" in result.message


# --- size limits and zip bombs ------------------------------------------------------------------


def test_file_over_size_limit_is_refused(grids, roster_rows, tmp_path, settings):
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows)
    settings.IMPORT_MAX_FILE_BYTES = path.stat().st_size - 1
    result = run(path)
    assert result.refused
    assert "超过上限" in result.message


def _bomb(path, member_bytes):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(member_bytes >> 20):
                member.write(block)
    return path


def test_zip_bomb_refused_by_compression_ratio_before_inflating(grids, tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 64 << 20)  # 64 MB of zeros → ~64 KB
    assert path.stat().st_size < 200_000
    result = run(path)
    assert result.refused
    assert "压缩炸弹" in result.message


def test_zip_bomb_refused_by_total_uncompressed_size(grids, tmp_path, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 << 20
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10**9  # only the size limit applies here
    path = _bomb(tmp_path / "bomb.xlsx", 16 << 20)
    result = run(path)
    assert result.refused
    assert "解压后超过" in result.message


def test_zip_member_lying_about_its_size_is_refused(grids, roster_rows, tmp_path):
    """A member declaring fewer bytes than it inflates to is caught while inflating."""
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows)
    data = bytearray(path.read_bytes())
    target = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(target.decode())
    lie = info.file_size // 4
    # patch the uncompressed size in the local header and in the central directory
    local = data.find(b"PK\x03\x04" + bytes(data[info.header_offset + 4 : info.header_offset + 6]))
    offset = info.header_offset
    assert data[offset : offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, offset + 22, lie)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == target:
            struct.pack_into("<I", data, central + 24, lie)
        central = data.find(b"PK\x01\x02", central + 4)
    assert local != -1
    path.write_bytes(bytes(data))
    result = run(path)
    assert result.refused
    assert "声明的大小与实际内容不符" in result.message


def test_more_rows_than_limit_is_refused(grids, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [VOLUNTEER_HEADER] + [
        volunteer_row(i, f"志愿者{i}", make_id("19900101", f"{i:03d}")) for i in range(1, 5)
    ]
    result = run(write_xlsx(tmp_path / "many.xlsx", rows))
    assert result.refused
    assert "超过 3 行的上限" in result.message
    assert Volunteer.objects.count() == 0


# --- formulas ------------------------------------------------------------------------------------


def test_formula_cell_in_xlsx_is_refused_with_row_and_column(grids, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id()),
        volunteer_row(2, "李四", make_id("19851120", "362"), phone='=HYPERLINK("http://x","点我")'),
    ]
    path = write_xlsx(tmp_path / "formula.xlsx", rows)
    assert scan_xlsx(path, Limits.from_settings()) == {(3, 4)}
    result = run(path)
    assert result.refused
    assert any("第 3 行“手机号码”列" in m and "公式" in m for m in messages(result))
    assert Volunteer.objects.count() == 0


def test_formula_in_totals_row_does_not_block_import(grids, tmp_path):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(1, "张三", make_id()),
        ["合计", None, None, None, None, None, None, None, None, None, None, "=SUM(L2:L2)", None],
    ]
    result = run(write_xlsx(tmp_path / "totals.xlsx", rows))
    assert result.imported, messages(result)


def test_formula_cell_in_xls_is_found_and_refused(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id())]
    path = write_xls(tmp_path / "formula.xls", rows, formulas=[(1, 12, '"备"&"注"')])
    assert xls_formula_cells(path) == {(2, 12)}
    result = run(path)
    assert result.refused
    assert any("第 2 行“备注”列" in m and "公式" in m for m in messages(result))


def test_formula_text_in_csv_is_refused(grids, tmp_path):
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", make_id(), 备注="=1+1")]
    result = run(write_csv(tmp_path / "formula.csv", rows))
    assert result.refused
    assert any("“备注”列" in m and "公式" in m for m in messages(result))


# --- layout --------------------------------------------------------------------------------------


def test_vertically_merged_grid_cells_fill_down(grids, tmp_path):
    first = volunteer_row(1, "张三", make_id())
    second = volunteer_row(2, "李四", make_id("19851120", "362"), grid=None)
    path = write_xlsx(tmp_path / "merged.xlsx", [VOLUNTEER_HEADER, first, second], merges=["H2:H3"])
    result = run(path)
    assert result.imported, messages(result)
    assert Volunteer.objects.get(name="李四").grid.code == GRID_EAST


def test_unknown_columns_are_ignored_and_listed(grids, tmp_path):
    header = [*VOLUNTEER_HEADER, "年龄", "家庭住址"]
    row = [*volunteer_row(1, "张三", make_id()), 36, "东湖路1号"]
    result = run(write_xlsx(tmp_path / "extra.xlsx", [header, row]))
    assert result.imported
    assert result.unknown_columns == [
        {"column": "N", "header": "年龄"},
        {"column": "O", "header": "家庭住址"},
    ]


def test_duplicate_header_column_is_refused(grids, tmp_path):
    header = [*VOLUNTEER_HEADER, "公民身份号码"]
    row = [*volunteer_row(1, "张三", make_id()), make_id()]
    result = run(write_xlsx(tmp_path / "dup.xlsx", [header, row]))
    assert result.refused
    assert "出现了两次" in result.message


def test_open_sheet_reports_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "rows.xlsx", [["title"], [], ["a", "b"]])
    fmt = check_file(path, path.name)
    rows = list(open_sheet(path, fmt).rows)
    assert rows[-1][0] == 3
    assert rows[-1][1][:2] == ["a", "b"]


def test_check_file_accepts_real_files(tmp_path):
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "ok.xlsx"
    path.write_bytes(buffer.getvalue())
    assert check_file(path, path.name) == "xlsx"
    with pytest.raises(FileRefused):
        check_file(path, "ok.xls")
