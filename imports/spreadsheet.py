"""Writing .xlsx files that are safe to open: every file this app hands out goes through here.

Spreadsheet (CSV/formula) injection: a cell whose text starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return may be run as a formula by Excel or
WPS. ``neutralise`` prefixes such text with an apostrophe, which Excel shows
as plain text. (django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``
only strips a leading ``=``, which changes the data and misses the others.)
Numbers, dates and booleans are written as they are.
"""

import datetime
import decimal

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def neutralise(value):
    if isinstance(value, str):
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
        return value
    if value is None or isinstance(
        value, (bool, int, float, decimal.Decimal, datetime.date, datetime.datetime)
    ):
        return value
    return neutralise(str(value))


def new_write_only_book(title):
    """A write-only workbook (streams rows to disk: flat memory for 10⁵ rows) and its sheet."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    return book, sheet


def append_safe(sheet, values):
    sheet.append([neutralise(value) for value in values])


def set_widths(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def style_header(sheet, row=1, required=()):
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if cell.value in required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
