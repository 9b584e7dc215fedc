"""The error report: the refused rows of a file, as they were, with the reasons.

Written for ``--skip-invalid`` runs and for refused files, so that whoever
keeps the sheet can fix the rows and import just those. The rows are read
again from the uploaded file (the pipeline keeps only cleaned values in
memory), with the original header, an extra 错误原因 column and a 提示 column
for the rows imported with a warning (e.g. a case imported as not public).

The report is stored on the server and downloadable, so it holds no full ID
number: any cell that reads as one (18 characters, digits and a final X) is
masked the way the registers mask it (``4115**********123X``). Cells go through
``imports.spreadsheet`` (formula neutralisation).
"""

import re

from portal.snippets.pii import mask_id_number

from .reading import open_sheet
from .safety import Limits, check_file
from .spreadsheet import append_safe, new_write_only_book

REASON_HEADER = "错误原因"
WARNING_HEADER = "提示"
ROW_HEADER = "原表行号"

# An 18-character ID number anywhere in a cell (also inside a longer text), so that
# no column of any sheet leaks one. (15 digits alone would also match grid codes.)
_ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")


def mask_cell(value):
    """The cell as the report shows it: ID numbers masked, everything else as read."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= 17:
        return mask_id_number(str(value))
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e16:
        return mask_id_number(f"{value:.0f}")
    if isinstance(value, str) and len(value) >= 18:
        return _ID_IN_TEXT_RE.sub(lambda m: mask_id_number(m.group(1).upper()), value)
    return value


def write_error_report(source_path, file_name, result, out_path):
    """Write the refused (and warned) rows of ``result`` to ``out_path``; return the number written."""
    warned = getattr(result, "warning_rows", {}) or {}
    if not (result.refused_rows or warned) or result.header_row is None:
        return 0
    limits = Limits.from_settings()
    fmt = check_file(source_path, file_name, limits)
    sheet = open_sheet(source_path, fmt, limits)
    book, out = new_write_only_book("错误行")
    written = 0
    width = 0
    for number, values in sheet.rows:
        if number == result.header_row:
            width = len(values)
            append_safe(out, [ROW_HEADER, *values, WARNING_HEADER, REASON_HEADER])
        elif number in result.refused_rows or number in warned:
            cells = [mask_cell(value) for value in values] + [""] * (width - len(values))
            reasons = "；".join(result.refused_rows.get(number, ()))
            warnings = "；".join(warned.get(number, ()))
            append_safe(out, [number, *cells, warnings, reasons])
            written += 1
    book.save(out_path)
    return written
