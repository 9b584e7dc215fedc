"""Finding formula cells, which the fast reader cannot see.

python-calamine returns a formula cell's cached *value*, so a sheet that
smuggles ``=HYPERLINK(...)`` or ``=cmd|...`` into a roster would pass
unnoticed. Formulas are refused on import (they are how spreadsheet injection
starts), so we locate them ourselves:

* ``.xlsx``: every zip member is inflated once through Python's ``zipfile``
  (which stops at the declared size and checks the CRC — the second half of the
  zip-bomb defence). While the first worksheet streams past, a byte-level regex
  looks for ``<f`` elements; only if it finds one is the sheet parsed again with
  a streaming XML parser to get each formula's row and column.
* ``.xls``: xlrd cannot report formulas, so we walk the BIFF8 records of the
  first worksheet (``Workbook`` stream of the OLE2 file, via xlrd's compound
  document reader) and collect the row and column of every ``FORMULA`` record.
* ``.csv`` has no formulas, but a text that starts with ``=`` becomes one when
  Excel opens the file; the table reader treats those as formulas.
"""

import io
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from .safety import FileRefused, megabytes

_FORMULA_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_CHUNK = 1 << 20
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def column_index(letters):
    """``"A"`` → 0, ``"AB"`` → 27."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def column_letters(index):
    """0 → ``"A"``, 27 → ``"AB"``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def first_sheet_member(archive):
    """The zip member holding the workbook's first worksheet (the one the reader reads)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rel_id = element.get(f"{{{_REL_NS}}}id")
            break
    if rel_id is None:
        raise FileRefused("工作簿中没有工作表")
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return "xl/worksheets/sheet1.xml"
    for element in rels.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == rel_id:
            target = element.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return "xl/worksheets/sheet1.xml"


def _inflate_member(archive, info, budget, scan):
    """Stream one member, enforcing the byte budget; return (bytes read, formula seen)."""
    seen = False
    read = 0
    tail = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > budget:
                raise FileRefused("文件解压后超过大小上限（压缩炸弹防护），已拒绝")
            if scan and not seen:
                window = tail + chunk
                seen = _FORMULA_TAG_RE.search(window) is not None
                tail = window[-32:]
    return read, seen


def _formula_positions_in_sheet(archive, member):
    """(excel_row, column_index) of every cell holding an ``<f>`` element."""
    positions = set()
    row_number = 0
    col = -1
    in_cell = False
    cell_has_formula = False
    with archive.open(member) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    col = -1
                elif name == "c":
                    ref = element.get("r")
                    match = _CELL_REF_RE.match(ref or "")
                    col = column_index(match.group(1)) if match else col + 1
                    in_cell, cell_has_formula = True, False
                elif name == "f" and in_cell:
                    cell_has_formula = True
            else:
                if name == "c":
                    if cell_has_formula:
                        positions.add((row_number, col))
                    in_cell = False
                elif name == "row":
                    element.clear()
    return positions


def scan_xlsx(path, limits):
    """Inflate every member within the limits; return the first sheet's formula cells."""
    budget = limits.max_uncompressed_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = first_sheet_member(archive)
            names = set(archive.namelist())
            if sheet not in names:
                raise FileRefused("工作簿结构不完整：找不到第一个工作表，请在 Excel 中重新保存")
            has_formula = False
            for info in archive.infolist():
                if info.is_dir():
                    continue
                read, seen = _inflate_member(archive, info, budget, scan=info.filename == sheet)
                budget -= read
                has_formula = has_formula or seen
            if not has_formula:
                return set()
            return _formula_positions_in_sheet(archive, sheet)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FileRefused(
            "文件已损坏或声明的大小与实际内容不符（可能是压缩炸弹），已拒绝。"
            f"请在 Excel 中重新保存后再导入（上限 {megabytes(limits.max_uncompressed_bytes)}）"
        ) from exc
    except ElementTree.ParseError as exc:
        raise FileRefused("工作表内容已损坏，无法读取，请在 Excel 中重新保存后再导入") from exc


# --- .xls (BIFF8) --------------------------------------------------------------

_BOF, _EOF, _BOUNDSHEET, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0006


def _workbook_stream(data):
    from xlrd import compdoc

    doc = compdoc.CompDoc(data, logfile=io.StringIO())
    for name in ("Workbook", "Book"):
        mem, base, size = doc.locate_named_stream(name)
        if mem is not None:
            return mem[base : base + size]
    raise FileRefused("文件不是有效的 Excel 97-2003 工作簿（找不到工作簿数据）")


def _records(stream, start):
    pos = start
    end = len(stream)
    while pos + 4 <= end:
        rtype, length = struct.unpack_from("<HH", stream, pos)
        yield pos, rtype, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length


def xls_formula_cells(path):
    """(excel_row, column_index) of every formula in the first worksheet of an .xls file."""
    try:
        stream = _workbook_stream(Path(path).read_bytes())
        sheet_offsets = []
        for _pos, rtype, data in _records(stream, 0):
            if rtype == _BOUNDSHEET and len(data) >= 6:
                offset, _visibility, sheet_type = struct.unpack_from("<IBB", data, 0)
                if sheet_type == 0:  # worksheet (not chart, macro sheet…)
                    sheet_offsets.append(offset)
            elif rtype == _EOF:
                break  # end of the workbook globals
        if not sheet_offsets:
            return set()
        positions = set()
        for pos, rtype, data in _records(stream, sheet_offsets[0]):
            if rtype == _FORMULA and len(data) >= 4:
                row, col = struct.unpack_from("<HH", data, 0)
                positions.add((row + 1, col))
            elif rtype == _EOF and pos != sheet_offsets[0]:
                break
        return positions
    except FileRefused:
        raise
    except Exception as exc:  # xlrd's CompDocError and struct errors on a damaged file
        raise FileRefused("文件已损坏，无法作为 Excel 97-2003 工作簿读取") from exc
