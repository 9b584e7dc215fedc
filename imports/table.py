"""Finding the table inside a sheet: header row, column mapping, data rows.

Office sheets put a title above the table (often merged across it), sometimes
a "填报单位：… 填报日期：…" line, then the header; inside and after the table
come blank rows, a "合计" totals row and "填表人：…" footers. The header row is
the first row (among the first ``HEADER_SEARCH_ROWS``) that holds every
required column; header texts are matched after normalisation (full-width to
half-width, spaces and the ``*`` of required-column markers removed) against
each column's name and its usual variants. Unknown columns are ignored and
reported.
"""

import unicodedata
from dataclasses import dataclass, field

from .cleaning import is_blank
from .formulas import column_letters
from .safety import FileRefused

HEADER_SEARCH_ROWS = 30

# A row whose first filled cell starts with one of these, and whose key column
# is empty, is a totals row or a footer, not data.
NON_DATA_PREFIXES = (
    "合计",
    "总计",
    "小计",
    "共计",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "负责人",
    "联系人",
    "填表日期",
    "制表日期",
    "填报日期",
    "注:",
    "说明:",
    "备注:",
)


@dataclass(frozen=True)
class Column:
    """One column a register understands.

    ``clean`` turns a non-blank raw value into a Python value (or raises
    ``CellError``); ``required`` means the column must be present and every data
    row must fill it.
    """

    key: str
    header: str
    clean: object = None
    synonyms: tuple = ()
    required: bool = False
    ignored: bool = False  # recognised but not imported (e.g. 序号)
    help: str = ""
    example: object = ""

    def names(self):
        return (self.header, *self.synonyms)


def normalise_header(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = "".join(text.split())  # all whitespace, including new lines inside a cell
    return text.replace("*", "").rstrip(":").lower()


def _strip_note(text):
    """ "手机号码(必填)" → "手机号码"; used when the full text is not known."""
    if text.endswith(")") and "(" in text:
        return text[: text.rindex("(")]
    return text


@dataclass
class HeaderMatch:
    row_number: int
    mapping: dict  # column key → index
    headers: dict  # column key → header text as written in the sheet
    unknown: list  # [(column letter, header text)]
    duplicates: list  # [(column, first index, second index)]


@dataclass
class Table:
    columns: list
    header: HeaderMatch
    rows: object  # iterator of (row number, values) after the header
    key_column: str
    formula_cells: set = field(default_factory=set)
    text_formulas: bool = False

    def column(self, key):
        return next(col for col in self.columns if col.key == key)

    def header_text(self, key):
        return self.header.headers.get(key) or self.column(key).header

    def is_formula(self, row_number, index, value):
        if self.formula_cells and (row_number, index) in self.formula_cells:
            return True
        return self.text_formulas and isinstance(value, str) and value.lstrip().startswith("=")

    def data_rows(self):
        """Yield ``(row_number, values)`` for rows holding data in a recognised column."""
        wanted = [
            index for key, index in self.header.mapping.items() if not self.column(key).ignored
        ]
        key_index = self.header.mapping.get(self.key_column)
        for row_number, values in self.rows:
            width = len(values)
            for index in wanted:  # inlined ``is_blank``: this runs for every cell of 10⁵ rows
                if index < width:
                    value = values[index]
                    if (
                        value is not None
                        and value != ""
                        and not (value.__class__ is str and value.isspace())
                    ):
                        break
            else:
                continue  # nothing in any recognised column
            if _is_non_data(values, key_index):
                continue
            yield row_number, values


def _is_non_data(values, key_index):
    if key_index is not None and key_index < len(values) and not is_blank(values[key_index]):
        return False
    for value in values:
        if not is_blank(value):
            text = normalise_header(value)
            return text.startswith(NON_DATA_PREFIXES)
    return False


def _lookup(columns):
    lookup = {}
    for column in columns:
        for name in column.names():
            lookup[normalise_header(name)] = column.key
    return lookup


def _match_row(values, columns, lookup):
    mapping, headers, unknown, duplicates = {}, {}, [], []
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        text = normalise_header(value)
        key = lookup.get(text) or lookup.get(_strip_note(text))
        if key is None:
            unknown.append((column_letters(index), str(value).strip()))
        elif key in mapping:
            duplicates.append((key, mapping[key], index))
        else:
            mapping[key] = index
            headers[key] = str(value).strip().replace("\n", "")
    return mapping, headers, unknown, duplicates


def find_table(sheet, columns, key_column):
    """Locate the header in ``sheet`` and return a ``Table``; refuse a sheet without one."""
    lookup = _lookup(columns)
    required = [col.key for col in columns if col.required]
    by_key = {col.key: col for col in columns}
    best = None
    seen_any = False
    for row_number, values in sheet.rows:
        if not seen_any and any(not is_blank(v) for v in values):
            seen_any = True
        mapping, headers, unknown, duplicates = _match_row(values, columns, lookup)
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (row_number, mapping, headers)
        if all(key in mapping for key in required):
            if duplicates:
                key, first, second = duplicates[0]
                raise FileRefused(
                    f"第 {row_number} 行表头中“{by_key[key].header}”出现了两次"
                    f"（{column_letters(first)} 列和 {column_letters(second)} 列），请删除其中一列"
                )
            header = HeaderMatch(row_number, mapping, headers, unknown, duplicates)
            return Table(
                columns=columns,
                header=header,
                rows=sheet.rows,
                key_column=key_column,
                formula_cells=sheet.formula_cells,
                text_formulas=sheet.text_formulas,
            )
        if row_number >= HEADER_SEARCH_ROWS:
            break
    if not seen_any:
        raise FileRefused("文件中没有任何内容（工作表是空的）")
    required_names = "、".join(by_key[key].header for key in required)
    if best is not None and len(best[1]) >= 2:
        missing = "、".join(by_key[key].header for key in required if key not in best[1])
        raise FileRefused(f"第 {best[0]} 行表头缺少必填列：{missing}。表头须包含：{required_names}")
    raise FileRefused(
        f"在前 {HEADER_SEARCH_ROWS} 行中没有找到表头。表头须包含：{required_names}"
        "（可下载导入模板对照）"
    )
