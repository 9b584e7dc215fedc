"""Finding formula cells, which the fast reader cannot see.

python-calamine returns a formula cell's cached *value*, so a sheet that
smuggles ``=HYPERLINK(...)`` or ``=cmd|...`` into a roster would pass
unnoticed. Formulas are refused on import (they are how spreadsheet injection
starts), so we locate them ourselves.

What the importer does with formula-like cells (the rule, by format):

* a real formula in the file is refused, naming its row and column: an
  ``.xlsx`` cell with an ``<f>`` element, an ``.xls`` ``FORMULA`` record;
* a CSV has no cell types, so Excel decides when it opens the file: a CSV
  text is refused when Excel would evaluate it (``is_formula_text``): after
  any leading spaces, tabs, carriage returns or line feeds it starts with
  ``=``, or with ``@`` followed by anything, or with ``+``/``-`` followed by
  something that is not a plain number or phone number. So ``-5``, ``+3.5``,
  ``-1,234.50``, ``+86 138 0013 8000``, ``+86-371-6300-1234``, ``(0371)…``
  and a lone ``-`` placeholder are accepted; ``+cmd|' /C calc'!A0``,
  ``-2+3+cmd|…``, ``@SUM(A1)``, ``\t=1+1`` and ``-张三`` are refused;
* a *text* cell of an ``.xlsx``/``.xls`` file (``'+cmd…`` or a cell formatted
  as text) is what the user sees and is imported as text: a spreadsheet
  program never evaluates a stored string. Whatever is imported is
  neutralised again on every way out (``portal.security.spreadsheets``).

Locating the formulas:

* ``.xlsx``: every zip member is inflated once through Python's ``zipfile``
  (which stops at the declared size and checks the CRC — the second half of the
  zip-bomb defence). While the first worksheet streams past, a byte-level regex
  looks for ``<f`` elements; only if it finds one is the sheet parsed again with
  a streaming XML parser to get each formula's row and column.
* ``.xls``: xlrd cannot report formulas, so we walk the BIFF8 records of the
  first worksheet (``Workbook`` stream of the OLE2 file, via xlrd's compound
  document reader) and collect the row and column of every ``FORMULA`` record.
* ``.csv``: ``reading`` applies ``is_formula_text`` to every cell it reads.

The small XML parts (workbook, relationships) and the sheet are parsed with
defusedxml: a DTD or entity declaration (billion laughs, external entities) is
refused, and any malformed XML becomes a ``FileRefused`` with a Chinese
message, never an uncaught ``ParseError``.
"""

import io
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from .safety import FileRefused, megabytes, parse_xml_part, read_member

_FORMULA_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_CHUNK = 1 << 20
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# After the sign: digits and the punctuation of numbers and phone numbers only.
# Without letters, ``!``, ``|``, ``:`` or quotes Excel can compute at most some
# arithmetic — no function, no cell reference, no DDE — so such a value is data.
_PLAIN_SIGNED_RE = re.compile(r"[+-][\d\s.,()/%+-]*\d[\d\s.,()/%+-]*(?:[eE][+-]?\d+)?%?")
_ONLY_SIGNS_RE = re.compile(r"[-+\s]*")
_LEADING_BLANKS = " \t\r\n\u3000"


def is_formula_text(value):
    """Would Excel or WPS evaluate this CSV text as a formula? (See the module docstring.)"""
    if not isinstance(value, str):
        return False
    text = value.lstrip(_LEADING_BLANKS)
    if not text:
        return False
    first = text[0]
    if first == "=":
        return True
    if first == "@":
        return len(text) > 1
    if first in "+-":
        if _ONLY_SIGNS_RE.fullmatch(text):
            return False  # "-", "--", "+": placeholders for an empty cell, text in Excel too
        return _PLAIN_SIGNED_RE.fullmatch(text.rstrip()) is None
    return False


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
    workbook = parse_xml_part(read_member(archive, "xl/workbook.xml"), "xl/workbook.xml")
    rel_id = None
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rel_id = element.get(f"{{{_REL_NS}}}id")
            break
    if rel_id is None:
        raise FileRefused("工作簿中没有工作表")
    try:
        data = read_member(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return "xl/worksheets/sheet1.xml"
    rels = parse_xml_part(data, "xl/_rels/workbook.xml.rels")
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
        events = SafeElementTree.iterparse(stream, events=("start", "end"), forbid_dtd=True)
        for event, element in events:
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
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise FileRefused(
            "文件已损坏或声明的大小与实际内容不符（可能是压缩炸弹），已拒绝。"
            f"请在 Excel 中重新保存后再导入（上限 {megabytes(limits.max_uncompressed_bytes)}）"
        ) from exc
    except DefusedXmlException as exc:
        raise FileRefused(
            "工作表中含有 DTD 或实体声明（可能是 XML 炸弹），已拒绝。"
            "请在 Excel 中打开后另存为新的 .xlsx 文件再导入"
        ) from exc
    except (ParseError, ValueError) as exc:
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
