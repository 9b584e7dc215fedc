"""Reading the first sheet of a file into rows, as fast as the formats allow.

``open_sheet`` returns a ``Sheet``: an iterator of ``(excel_row_number, values)``
plus where the formulas are. ``.xlsx`` and ``.xls`` are read with
python-calamine (Rust; several times faster than openpyxl and it reads .xls
too); ``.csv`` is decoded with the encoding detected from its bytes (UTF-8 with
or without BOM, GB18030 — what Chinese Excel writes — or UTF-16 "Unicode text")
and its delimiter sniffed.

Call ``safety.check_file`` first: this module trusts that the file is what its
name says and within the size limits.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .formulas import first_sheet_member, is_formula_text, scan_xlsx, xls_formula_cells
from .safety import FileRefused, Limits

# Rows we allow above the header and as blank padding on top of the row limit
# before refusing on the sheet's height alone.
_ROW_SLACK = 1000


@dataclass
class Sheet:
    fmt: str
    rows: object  # iterator of (excel_row_number, list of values)
    formula_cells: set = field(default_factory=set)
    height: int = 0

    @property
    def text_formulas(self):
        """In a CSV a text becomes a formula when Excel opens it (``formulas.is_formula_text``).

        The CSV reader adds each such cell to ``formula_cells`` as it reads the
        row, so the importer names its row and column like any other formula.
        """
        return self.fmt == "csv"


def open_sheet(path, fmt, limits=None):
    limits = limits or Limits.from_settings()
    if fmt == "csv":
        return _open_csv(Path(path), limits)
    formula_cells = scan_xlsx(path, limits) if fmt == "xlsx" else xls_formula_cells(path)
    return _open_with_calamine(Path(path), fmt, formula_cells, limits)


def _open_with_calamine(path, fmt, formula_cells, limits):
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise FileRefused("工作簿中没有工作表")
        sheet = workbook.get_sheet_by_index(0)
    except FileRefused:
        raise
    except python_calamine.PasswordError as exc:
        raise FileRefused("文件设置了打开密码，请在 Excel 中取消密码后再导入") from exc
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise FileRefused(
            "文件已损坏或格式不正确，无法读取，请在 Excel 中重新保存后再导入"
        ) from exc
    height = sheet.total_height
    if height > limits.max_rows + _ROW_SLACK:
        raise too_many_rows(limits)

    start_row, start_col = sheet.start or (0, 0)
    pad = [""] * start_col
    try:
        merged = [rng for rng in (sheet.merged_cell_ranges or []) if rng[1][0] > rng[0][0]]
    except Exception:  # merged ranges are a convenience; never fail the read on them
        merged = []

    def rows():
        numbered = (
            (start_row + offset + 1, (pad + values) if start_col else values)
            for offset, values in enumerate(sheet.iter_rows())
        )
        try:
            yield from _fill_merged_down(numbered, merged) if merged else numbered
        except FileRefused:
            raise
        except Exception as exc:  # a damaged sheet discovered while streaming its rows
            raise FileRefused(
                "工作表内容已损坏，读取到一半无法继续，请在 Excel 中重新保存后再导入"
            ) from exc

    return Sheet(fmt=fmt, rows=rows(), formula_cells=formula_cells, height=height)


def _fill_merged_down(rows, ranges):
    """Give every cell of a vertically merged range the value of its top-left cell.

    Rosters often merge 所属网格 or 服务队伍 down the rows of one grid or team;
    the reader only reports the value in the first row of the range.
    """
    starts = {}
    for (row0, col0), (row1, col1) in ranges:
        starts.setdefault(row0 + 1, []).append((row1 + 1, col0, col1))
    active = []  # (last row, first col, last col, value)
    for number, values in rows:
        active = [item for item in active if item[0] >= number]
        for _last_row, col0, col1, value in active:
            values = list(values)
            for col in range(col0, min(col1 + 1, len(values))):
                values[col] = value
        for last_row, col0, col1 in starts.pop(number, ()):
            value = values[col0] if col0 < len(values) else ""
            active.append((last_row, col0, col1, value))
        yield number, values


def too_many_rows(limits):
    return FileRefused(
        f"数据超过 {limits.max_rows:,} 行的上限，请拆分为多个文件后分别导入".replace(",", "，")
    )


def decode_text(data):
    """Decode CSV bytes, detecting the encoding. Returns ``(text, encoding)``."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        "无法识别 CSV 文件的文字编码（支持 UTF-8 和 GB18030/GBK），"
        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入"
    )


def _delimiter(text):
    sample = text[:20000]
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_score = ",", 0
    for candidate in (",", "\t", ";", "，"):
        score = sum(line.count(candidate) for line in lines)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _open_csv(path, limits):
    text, _encoding = decode_text(path.read_bytes())
    if "\x00" in text:
        raise FileRefused("文件扩展名是 .csv，但内容不是文本，请在 Excel 中另存为 CSV 后再导入")
    height = text.count("\n") + 1
    if height > limits.max_rows + _ROW_SLACK:
        raise too_many_rows(limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    formula_cells = set()

    def rows():
        try:
            for number, values in enumerate(reader, start=1):
                for index, value in enumerate(values):
                    if is_formula_text(value):
                        formula_cells.add((number, index))
                yield number, values
        except csv.Error as exc:
            raise FileRefused(
                f"CSV 文件格式错误（第 {reader.line_num} 行附近）：引号不成对"
            ) from exc

    return Sheet(fmt="csv", rows=rows(), formula_cells=formula_cells, height=height)


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(path, fmt):
    """A cheap upper bound of the sheet's row count, to decide foreground or background.

    .xlsx: the ``<dimension>`` Excel writes at the top of the sheet XML (only the
    first few KB are inflated); .csv: line count; otherwise the reader's height.
    """
    path = Path(path)
    if fmt == "csv":
        with path.open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) + 1
    if fmt == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive, archive.open(first_sheet_member(archive)) as fh:
                match = _DIMENSION_RE.search(fh.read(4096))
            if match:
                return int(match.group(1))
        except Exception:  # noqa: BLE001 - an estimate only; the import reports a damaged file
            pass
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0).total_height
    except Exception:  # a damaged file is reported properly by the import itself
        return 0
