"""Every spreadsheet the portal writes is safe from formula (CSV) injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return may be run as a formula — or a DDE command such as
``+cmd|' /C calc'!A0`` — by Excel, WPS or LibreOffice when someone opens the
file. Following the OWASP "CSV Injection" rules, such text is written with a
leading apostrophe (``neutralise``), and CSV fields are quoted
(``csv.QUOTE_NONNUMERIC``: every text field is quoted, numbers are not).
Numbers, dates and booleans are written as they are: a ``-5`` stored as a
number stays the number -5.

Two doors use this:

* the portal's own writers (``imports.spreadsheet``: exports, the error report,
  the import templates) call ``neutralise`` on every cell;
* Wagtail's stock list exports (``?export=csv`` / ``?export=xlsx`` on snippet
  listings, ModelAdmin indexes and reports such as the site history) are all
  ``wagtail.admin.views.mixins.SpreadsheetExportMixin`` subclasses and write
  every value raw. ``patch_wagtail_exports`` (called once from
  ``SecurityConfig.ready``) changes that mixin, so every subclass — Wagtail's,
  its contrib apps' and ours, present and future — neutralises its values and
  headings and quotes its CSV fields. A patch rather than subclasses because
  most of those views (reports, form submissions, ModelAdmin) are Wagtail's
  own classes, instantiated by Wagtail.

Every CSV the portal writes starts with a UTF-8 byte-order mark (``CSV_BOM``,
``csv_bytes``): without it Excel on a Chinese Windows reads the file as GBK and
shows mojibake; the BOM is what makes it pick UTF-8.
"""

import codecs
import csv
import datetime
import decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_QUOTING = csv.QUOTE_NONNUMERIC
CSV_BOM = codecs.BOM_UTF8

_PASS_THROUGH = (bool, int, float, decimal.Decimal, datetime.date, datetime.time)


def csv_bytes(text):
    """The bytes of a CSV file the portal writes: UTF-8 with a BOM, so Excel opens it."""
    return CSV_BOM + text.removeprefix("\ufeff").encode("utf-8")


def starts_like_formula(text):
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The value to write into a spreadsheet cell: formula-like text gets a leading ``'``."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if value is None or isinstance(value, _PASS_THROUGH):
        return value
    return neutralise(str(value))


class _NeutralisingWriter:
    """Wraps a ``csv.DictWriter``: every value neutralised, every text field quoted."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        return self.writer.writerow({key: neutralise(value) for key, value in row.items()})


def _neutralise_cells(cells):
    from openpyxl.cell.cell import Cell  # what openpyxl's WriteOnlyCell() returns

    for cell in cells:
        if isinstance(cell, Cell):
            if starts_like_formula(cell.value):
                cell.value = neutralise(cell.value)
                cell.data_type = "s"
            yield cell
        else:
            yield neutralise(cell)


_PATCHED_FLAG = "_portal_formula_safe"


def patch_wagtail_exports():
    """Make ``SpreadsheetExportMixin`` neutralise every cell it writes (idempotent)."""
    from wagtail.admin.views.mixins import Echo
    from wagtail.admin.views.mixins import SpreadsheetExportMixin as mixin

    if getattr(mixin, _PATCHED_FLAG, False):
        return

    def stream_csv(self, queryset):
        """Wagtail's ``stream_csv`` with a BOM, quoted fields and neutralised headings and values."""
        yield CSV_BOM
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, quoting=CSV_QUOTING)
        safe = _NeutralisingWriter(writer)
        yield safe.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(safe, self.to_row_dict(item))

    original_write_csv_row = mixin.write_csv_row
    original_generate_xlsx_row = mixin.generate_xlsx_row
    original_write_xlsx = mixin.write_xlsx

    def write_csv_row(self, writer, row_dict):
        if not isinstance(writer, _NeutralisingWriter):
            writer = _NeutralisingWriter(writer)
        return original_write_csv_row(self, writer, row_dict)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        return _neutralise_cells(
            original_generate_xlsx_row(self, worksheet, row_dict, date_format=date_format)
        )

    def write_xlsx(self, queryset, output):
        # Headings are appended as plain strings, which openpyxl turns into formulas
        # when they start with "="; route them through ``neutralise`` as well.
        original_get_heading = self.get_heading
        self.get_heading = lambda qs, field: neutralise(original_get_heading(qs, field))
        try:
            return original_write_xlsx(self, queryset, output)
        finally:
            del self.get_heading

    mixin.stream_csv = stream_csv
    mixin.write_csv_row = write_csv_row
    mixin.generate_xlsx_row = generate_xlsx_row
    mixin.write_xlsx = write_xlsx
    setattr(mixin, _PATCHED_FLAG, True)
