"""Checks a file must pass before any reader touches it.

Uploaded spreadsheets are untrusted input. Before the fast (Rust) reader opens
one we make sure that

* it is what its name says: ``.xlsx`` is a zip holding ``xl/workbook.xml``,
  ``.xls`` is an OLE2 compound document, ``.csv`` is text;
* it is not too big, and a zip does not inflate past the limit: the declared
  uncompressed sizes and the compression ratio of every member are checked
  *before* anything is decompressed, and ``verify_zip_members`` then inflates
  each member through Python's ``zipfile`` (which stops at the declared size and
  checks the CRC), so a member that lies about its size is refused too.

* an ``.xlsx``'s package parts (``[Content_Types].xml``, ``_rels/.rels``,
  ``xl/workbook.xml`` and its relationships) are well-formed XML without a DTD
  or entity declaration, parsed with defusedxml (``check_xlsx_parts``): a
  billion-laughs ``.rels`` or a truncated workbook is refused here, with a
  Chinese message, before anything else parses it.

Every refusal is a ``FileRefused`` carrying a Chinese message for the user.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from django.conf import settings

from portal.security.filetypes import sniffed_kind

# Kinds (portal.security.filetypes.sniffed_kind, built on filetype) named when a
# file is not what its name says. filetype knows many more, but several of its
# signatures are printable ASCII (BMP "BM", MP3 "ID3", GIF "GIF") that a CSV may
# begin with, so only these count as images ("GIF8" for a GIF, as before).
IMAGE_KINDS = {"png", "jpg"}

FORMAT_LABELS = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "csv": "CSV 文本",
}
ACCEPTED_EXTENSIONS = tuple(f".{fmt}" for fmt in FORMAT_LABELS)

# A member this large (uncompressed) must not be compressed more than the
# allowed ratio; spreadsheets compress 5–20×, zip bombs thousands of times.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
DEFAULT_MAX_RATIO = 100


class FileRefused(Exception):
    """The whole file is refused; ``str(exc)`` is the Chinese message for the user."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_rows: int
    max_ratio: int

    @classmethod
    def from_settings(cls):
        return cls(
            max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_ratio=getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO),
        )


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _what_it_really_is(head):
    """A Chinese name for the real content of a file, judged by its first bytes."""
    kind = sniffed_kind(head)
    if kind in ("zip", "ole2"):
        return kind
    if kind == "pdf":
        return "PDF 文档"
    if kind in IMAGE_KINDS or (kind == "gif" and head.startswith(b"GIF8")):
        return "图片"
    # filetype reads binary signatures only: markup is recognised here.
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        return "网页（HTML/XML）"
    return None


def sniff_format(path, name):
    """Return ``"xlsx"``, ``"xls"`` or ``"csv"`` for a file whose content matches its name.

    Refuses (``FileRefused``) an unknown extension, an empty file and a file
    whose content is something else than its extension says.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_EXTENSIONS:
        raise FileRefused(f"不支持“{suffix or '无扩展名'}”文件，请上传 .xlsx、.xls 或 .csv 文件")
    fmt = suffix[1:]
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("文件是空的（0 字节），请检查是否选错了文件")
    with path.open("rb") as fh:
        head = fh.read(2048)
    real = _what_it_really_is(head)
    label = FORMAT_LABELS[fmt]

    if fmt == "xlsx":
        if real != "zip":
            raise FileRefused(_mismatch_message(label, real, head))
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise FileRefused(
                "文件已损坏，无法作为 .xlsx 打开，请在 Excel 中重新保存后再导入"
            ) from exc
        if "xl/workbook.xml" not in names:
            raise FileRefused(
                "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是 Word、WPS 或其他压缩包），"
                "请在 Excel 中另存为 .xlsx 后再导入"
            )
    elif fmt == "xls":
        if real != "ole2":
            raise FileRefused(_mismatch_message(label, real, head))
    else:  # csv
        if real is not None:
            raise FileRefused(_mismatch_message(label, real, head))
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FileRefused("文件扩展名是 .csv，但内容不是文本，请在 Excel 中另存为 CSV 后再导入")
    return fmt


def _mismatch_message(label, real, head):
    if real == "zip":
        actual = "Excel 工作簿（.xlsx）或其他压缩文件"
    elif real == "ole2":
        actual = "Excel 97-2003 工作簿（.xls）或其他 Office 文档"
    elif real:
        actual = real
    elif b"\x00" not in head:
        actual = "纯文本"
    else:
        actual = "无法识别的格式"
    return (
        f"文件扩展名表示{label}，但文件内容实为{actual}。"
        "请在 Excel 中打开该文件，另存为正确的格式后再导入"
    )


def check_file_size(size, limits):
    if size > limits.max_file_bytes:
        raise FileRefused(
            f"文件大小为 {megabytes(size)}，超过上限 {megabytes(limits.max_file_bytes)}，"
            "请拆分为多个文件后分别导入"
        )


def check_zip_declared_sizes(path, limits):
    """Refuse a zip whose members would inflate past the limits — without inflating them."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused("文件已损坏，无法作为 .xlsx 打开") from exc
    total = 0
    for info in members:
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise FileRefused(
                f"文件解压后超过 {megabytes(limits.max_uncompressed_bytes)}（压缩炸弹防护），"
                "已拒绝。请确认文件来源，或拆分后再导入"
            )
        if info.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise FileRefused(
                    f"文件中的“{info.filename}”压缩比高达 {ratio:.0f} 倍，疑似压缩炸弹，已拒绝"
                )
    return total


def parse_xml_part(data, what):
    """Parse a small XML part of the workbook safely; refuse DTDs, entities and garbage."""
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FileRefused(
            f"工作簿中的“{what}”含有 DTD 或实体声明（可能是 XML 炸弹或外部实体攻击），已拒绝。"
            "请在 Excel 中打开后另存为新的 .xlsx 文件再导入"
        ) from exc
    except (ParseError, ValueError, UnicodeError) as exc:
        raise FileRefused(
            f"工作簿中的“{what}”已损坏（不是有效的 XML），无法读取。请在 Excel 中重新保存后再导入"
        ) from exc


def read_member(archive, name):
    """A member's bytes; a damaged or truncated member is refused (``KeyError`` if absent)."""
    try:
        return archive.read(name)
    except KeyError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise FileRefused(
            f"工作簿中的“{name}”已损坏或被截断，无法读取。请在 Excel 中重新保存后再导入"
        ) from exc


# Package parts every reader touches; the sheet itself is parsed in ``formulas``.
XLSX_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def check_xlsx_parts(path):
    """Refuse an .xlsx whose package XML is malformed, truncated or declares a DTD."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for part in XLSX_PARTS:
                if part in names:
                    parse_xml_part(read_member(archive, part), part)
    except zipfile.BadZipFile as exc:
        raise FileRefused("文件已损坏，无法作为 .xlsx 打开，请在 Excel 中重新保存后再导入") from exc


def check_file(path, name, limits=None):
    """All checks that need no parsing. Returns the format (``xlsx``/``xls``/``csv``)."""
    limits = limits or Limits.from_settings()
    check_file_size(Path(path).stat().st_size, limits)
    fmt = sniff_format(path, name)
    if fmt == "xlsx":
        check_zip_declared_sizes(path, limits)
        check_xlsx_parts(path)
    return fmt
