"""Writing .xlsx files that are safe to open: every file this app hands out goes through here.

Spreadsheet (CSV/formula) injection: a cell whose text starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return may be run as a formula by Excel or
WPS. ``neutralise`` (``portal.security.spreadsheets``, the one rule for the whole
portal) prefixes such text with an apostrophe, following OWASP.
(django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only
strips a leading ``=``, which changes the data and misses the others.) Numbers,
dates and booleans are written as they are.

The writers: ``append_safe`` for streamed (write-only) sheets — the exports and
the import error report — and ``neutralise_workbook`` for a workbook built in
memory (the import templates), which checks every cell of every sheet just
before it is handed out.
"""

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.security.spreadsheets import FORMULA_TRIGGERS, neutralise, starts_like_formula

__all__ = [
    "FORMULA_TRIGGERS",
    "append_safe",
    "neutralise",
    "neutralise_workbook",
    "new_write_only_book",
]

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def new_write_only_book(title):
    """A write-only workbook (streams rows to disk: flat memory for 10⁵ rows) and its sheet."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    return book, sheet


def append_safe(sheet, values):
    sheet.append([neutralise(value) for value in values])


def neutralise_workbook(book):
    """Neutralise every text or formula cell of an in-memory workbook; returns the book.

    openpyxl stores a string starting with ``=`` as a formula; no cell the
    portal writes is meant to be one (drop-down lists use data validations).
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or starts_like_formula(cell.value):
                    cell.value = neutralise(str(cell.value))
                    cell.data_type = "s"
    return book


def set_widths(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def style_header(sheet, row=1, required=()):
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if cell.value in required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
