"""Find personal numbers in what is about to be made public: ID numbers, mobiles, bank cards.

Disclosures (and notices) are posted on the village board and the web; the
source material names villagers' ID and phone numbers leaking through them as
a live problem. Before a page is submitted or published, its title, summary,
body, finance lines and attachments (text of .xlsx/.xls/.csv/.docx/.pdf) are
scanned here, and every hit names its place (field, row, file, sheet and cell,
page) and the masked form the clerk can use instead.

* ID numbers: 18 digits with a valid GB 11643 check digit and birth date, or
  the old 15-digit form with a valid birth date (the unified grid codes, also
  15 digits, are public and recognised).
* Mobile numbers: 1[3-9] and nine digits, with spaces or dashes, +86 allowed.
  Grid staff's registered work phones (public on every grid board) and the
  numbers in ``settings.PORTAL_PUBLIC_PHONES`` (the offices' published
  numbers) pass.
* Bank card numbers: 16–19 digits (groups of four allowed) passing the Luhn check.

Masked values (``4115**********123X``, ``138****5678``) contain no run of
digits long enough to match, so they pass by construction.

These are plain functions: the admin form, importers and tests call the same
``scan_*`` functions.
"""

import csv
import html
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags

from portal.snippets.pii import birth_date_from_id, id_number_problem, mask_id_number, mask_phone

ID_NUMBER = "id_number"
MOBILE = "mobile"
BANK_CARD = "bank_card"
UNREADABLE = "unreadable"

KIND_LABELS = {
    ID_NUMBER: "身份证号",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    UNREADABLE: "无法读取的内容",
}

# Only a private mobile number may be let through by the person's recorded consent;
# ID and bank card numbers are never published (DESIGN: privacy rules).
CONFIRMABLE_KINDS = {MOBILE}

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
MAX_XML_BYTES = 50 * 1024 * 1024

_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6}) ?(\d{8}) ?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])([1-8]\d{14})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])")
_CARD = re.compile(r"(?<![0-9])(\d(?:[ -]?\d){15,18})(?![0-9])")


@dataclass(frozen=True)
class Leak:
    """One number found: what kind, where (in Chinese), and the masked form to use instead."""

    kind: str
    where: str
    masked: str

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def confirmable(self):
        return self.kind in CONFIRMABLE_KINDS

    @property
    def message(self):
        if self.kind == UNREADABLE:
            return f"{self.where}无法读取，不能检查其中是否有个人信息：{self.masked}"
        return f"{self.where}含有{self.label}，请删除或改为打码形式「{self.masked}」"


# --- numbers in text ------------------------------------------------------------------------


def _luhn_ok(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _valid_id15(digits):
    # The old form has a two-digit year of the 1900s: YYMMDD at positions 7–12.
    return birth_date_from_id(f"{digits[:6]}19{digits[6:]}") is not None


def mask_card(digits):
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def numbers_in_text(text, public_phones=frozenset(), public_codes=frozenset()):
    """[(kind, digits, masked)] for every personal number in ``text``, in reading order."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text))
    found = []
    taken = []

    def free(span):
        return all(span[1] <= start or span[0] >= end for start, end in taken)

    for match in _ID18.finditer(text):
        number = "".join(match.groups()).upper()
        if id_number_problem(number) is None:
            found.append((match.start(), ID_NUMBER, number, mask_id_number(number)))
            taken.append(match.span())
    for match in _ID15.finditer(text):
        number = match.group(1)
        if free(match.span()) and number not in public_codes and _valid_id15(number):
            found.append((match.start(), ID_NUMBER, number, mask_id_number(number)))
            taken.append(match.span())
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if free(match.span()) and 16 <= len(digits) <= 19 and _luhn_ok(digits):
            found.append((match.start(), BANK_CARD, digits, mask_card(digits)))
            taken.append(match.span())
    for match in _MOBILE.finditer(text):
        digits = "".join(match.groups())
        if free(match.span()) and digits not in public_phones:
            found.append((match.start(), MOBILE, digits, mask_phone(digits)))
    found.sort(key=lambda hit: hit[0])
    return [(kind, digits, masked) for _, kind, digits, masked in found]


def public_phones():
    """Mobile numbers that are public by design: grid staff's work phones, offices' numbers."""
    from portal.snippets.models import GridStaff

    numbers = set(getattr(settings, "PORTAL_PUBLIC_PHONES", ()))
    numbers.update(GridStaff.objects.exclude(work_phone="").values_list("work_phone", flat=True))
    return frozenset(re.sub(r"\D", "", n)[-11:] for n in numbers if n)


def public_codes(candidates):
    """Which 15-digit candidates are unified grid codes (public, not ID numbers)."""
    from portal.snippets.models import Grid

    if not candidates:
        return frozenset()
    return frozenset(Grid.objects.filter(code__in=candidates).values_list("code", flat=True))


class Scanner:
    """Collects leaks over many (place, text) pairs with one look-up of the public numbers."""

    def __init__(self):
        self.phones = public_phones()
        self.leaks = []

    def text(self, where, text):
        if not text:
            return
        text = str(text)
        codes = public_codes(set(_ID15.findall(unicodedata.normalize("NFKC", text))))
        for kind, _digits, masked in numbers_in_text(text, self.phones, codes):
            self.leaks.append(Leak(kind, where, masked))

    def unreadable(self, where, why):
        self.leaks.append(Leak(UNREADABLE, where, why))


# --- where text lives -----------------------------------------------------------------------


def _plain(value):
    return html.unescape(strip_tags(str(value)))


def _cell_ref(row, col):
    """Spreadsheet address of 0-based (row, col): (6, 2) -> C7."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _cell_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def scan_stream(scanner, label, raw_blocks):
    """The body StreamField (its raw JSON): every string, tables cell by cell."""
    for number, block in enumerate(raw_blocks or [], start=1):
        where = f"{label}第{number}块"
        value = block.get("value") if isinstance(block, dict) else block
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            for r, row in enumerate(value["data"]):
                for c, cell in enumerate(row or []):
                    scanner.text(f"{where}（表格）第{r + 1}行第{c + 1}列", _plain(cell or ""))
            continue
        for text in _strings(value):
            scanner.text(where, _plain(text))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _read_bytes(document):
    with document.file.open("rb") as handle:
        data = handle.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValueError("文件过大")
    return data


def _scan_sheets(scanner, where, data):
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                scanner.text(f"{where}工作表「{name}」单元格{_cell_ref(r, c)}", _cell_text(value))


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _scan_csv(scanner, where, data):
    for r, row in enumerate(csv.reader(io.StringIO(_decode(data)))):
        for c, value in enumerate(row):
            scanner.text(f"{where}单元格{_cell_ref(r, c)}", value)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _scan_docx(scanner, where, data):
    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_XML_BYTES:
            raise ValueError("文档内容过大")
        root = ElementTree.fromstring(archive.read(info))
    for number, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        text = "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
        scanner.text(f"{where}第{number}段", text)


def _scan_pdf(scanner, where, data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("文件已加密")
    for number, page in enumerate(reader.pages, start=1):
        scanner.text(f"{where}第{number}页", page.extract_text() or "")


_READERS = {
    "xlsx": _scan_sheets,
    "xls": _scan_sheets,
    "csv": _scan_csv,
    "docx": _scan_docx,
    "pdf": _scan_pdf,
    "txt": lambda scanner, where, data: scanner.text(where, _decode(data)),
}


def scan_document(scanner, document, label=None):
    """The text of one attachment (Wagtail document), by its type."""
    name = (document.file.name or "").rsplit("/", 1)[-1]
    where = f"附件「{label or document.title or name}」"
    scanner.text(f"{where}的名称", document.title)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = _READERS.get(extension)
    if reader is None:
        return
    try:
        reader(scanner, where, _read_bytes(document))
    except Exception as exc:  # a broken or hostile file must not pass unread, nor crash the form
        reason = str(exc) if isinstance(exc, ValueError) and str(exc) else "文件已损坏或格式不正确"
        scanner.unreadable(where, reason)


def scan_content(title="", summary="", body=None, finance_lines=(), documents=()):
    """Leaks in a page's content given as plain values (what the admin form has before saving).

    ``finance_lines``: (row number, item, note) tuples; ``documents``: (document,
    shown title) pairs.
    """
    scanner = Scanner()
    scanner.text("标题", title)
    scanner.text("摘要", summary)
    scan_stream(scanner, "正文", body)
    for number, item, note in finance_lines:
        scanner.text(f"收支明细第{number}行「项目」", item)
        scanner.text(f"收支明细第{number}行「备注」", note)
    for document, shown in documents:
        scan_document(scanner, document, shown)
    return scanner.leaks


def raw_stream(value):
    """The raw JSON list of a StreamField value (a StreamValue, a list, or None)."""
    if value is None:
        return []
    if hasattr(value, "raw_data"):
        return list(value.raw_data)
    if hasattr(value, "get_prep_value"):
        return value.get_prep_value()
    return list(value)


def scan_page(page):
    """Leaks in a saved (or in-memory) disclosure or notice page."""
    lines = []
    if hasattr(page, "finance_items"):
        lines = [
            (n, line.item, line.note) for n, line in enumerate(page.finance_items.all(), start=1)
        ]
    documents = []
    if hasattr(page, "attachments"):
        documents = [(a.document, a.title) for a in page.attachments.all()]
    return scan_content(
        title=page.title,
        summary=getattr(page, "summary", ""),
        body=raw_stream(getattr(page, "body", None)),
        finance_lines=lines,
        documents=documents,
    )
