"""The error report: the refused rows of a file, as they were, with the reasons.

Written for ``--skip-invalid`` runs and for refused files, so that whoever
keeps the sheet can fix the rows and import just those. The rows are read
again from the uploaded file (the pipeline keeps only cleaned values in
memory), with the original header and an extra 错误原因 column.
"""

from .reading import open_sheet
from .safety import Limits, check_file
from .spreadsheet import append_safe, new_write_only_book

REASON_HEADER = "错误原因"
ROW_HEADER = "原表行号"


def write_error_report(source_path, file_name, result, out_path):
    """Write the refused rows of ``result`` to ``out_path``; return the number written."""
    if not result.refused_rows or result.header_row is None:
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
            append_safe(out, [ROW_HEADER, *values, REASON_HEADER])
        elif number in result.refused_rows:
            cells = list(values) + [""] * (width - len(values))
            reasons = "；".join(result.refused_rows[number])
            append_safe(out, [number, *cells, reasons])
            written += 1
    book.save(out_path)
    return written
