"""Check an uploaded document by its content, not by its name.

Wagtail accepts a document when its extension is on WAGTAILDOCS_EXTENSIONS; a
web shell, an executable or an HTML page renamed to ``通知.pdf`` passes that.
``document_content_problem`` looks at the bytes and says, in Chinese, what is
wrong — or returns None when the content matches the extension.
"""

import codecs
import io
import re
import zipfile

import filetype

# Any OLE2 compound document (.doc/.xls/.ppt/.wps). filetype names only the Word,
# Excel and PowerPoint files it recognises by bytes at fixed offsets past the
# header; files written by WPS Office and other tools (and every .wps) lack them,
# so the container's own signature is the test here.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# filetype's names for ZIP containers: Office Open XML, OpenDocument, EPUB, plain ZIP.
ZIP_KINDS = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}


def sniffed_kind(head):
    """What a file's first bytes say it is: ``"ole2"``, ``"zip"`` (any ZIP-based
    package) or filetype's extension for it (``"pdf"``, ``"png"``, ``"exe"`` …);
    None when nothing is recognised (text, for instance)."""
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    kind = filetype.guess(head)
    if kind is None:
        return None
    return "zip" if kind.extension in ZIP_KINDS else kind.extension


# Office Open XML: the main part's content type that [Content_Types].xml must
# declare. Macro-enabled variants (docm/xlsm/pptm) renamed to the plain extension
# are refused because their content type differs.
OOXML_MAIN_TYPES = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    ),
}
KIND_NAMES = {
    "pdf": "PDF 文档",
    "doc": "Word 97-2003 文档",
    "xls": "Excel 97-2003 表格",
    "ppt": "PowerPoint 97-2003 演示文稿",
    "wps": "WPS 文字文档",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pptx": "PowerPoint 演示文稿",
    "zip": "ZIP 压缩包",
    "ofd": "OFD 版式文档",
    "txt": "纯文本文件",
    "csv": "CSV 表格",
}
# What must never be served as a document: executables filetype recognises …
DANGEROUS_KINDS = {"exe": "Windows 可执行程序", "elf": "Linux 可执行程序"}
# … and what it does not know: Mach-O binaries and scripts with a ``#!`` line.
DANGEROUS_MAGICS = {
    b"\xca\xfe\xba\xbe": "可执行程序",
    b"\xcf\xfa\xed\xfe": "可执行程序",
    b"#!": "脚本程序",
}
ACTIVE_CONTENT_RE = re.compile(
    rb"<\s*(script|html|!doctype\s+html|svg|iframe|object|embed)\b|<\?php|javascript:",
    re.IGNORECASE,
)
EXECUTABLE_MEMBER_SUFFIXES = (
    ".exe", ".com", ".bat", ".cmd", ".scr", ".msi", ".vbs", ".js", ".jse", ".ps1",
    ".hta", ".lnk", ".jar", ".sh", ".dll",
)  # fmt: skip
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
SNIFF_BYTES = 64 * 1024


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _mismatch(name, ext):
    kind = KIND_NAMES.get(ext, f".{ext} 文件")
    return f"文件“{name}”的内容不是{kind}（文件名与实际内容不符），请上传真实的{kind}。"


def _read_head(fileobj, size):
    fileobj.seek(0)
    head = fileobj.read(size)
    fileobj.seek(0)
    return head


def _ooxml_problem(name, ext, fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return _mismatch(name, ext)
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return f"文件“{name}”含有宏代码，出于安全原因不能上传，请另存为不含宏的格式。"
    except (zipfile.BadZipFile, OSError, KeyError):
        return _mismatch(name, ext)
    finally:
        fileobj.seek(0)
    if not any(main in content_types for main in OOXML_MAIN_TYPES[ext]):
        if "macroEnabled" in content_types:
            return f"文件“{name}”是启用宏的文档，出于安全原因不能上传，请另存为不含宏的格式。"
        return _mismatch(name, ext)
    return None


def _zip_problem(name, ext, fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return _mismatch(name, ext)
    finally:
        fileobj.seek(0)
    if ext == "ofd" and "OFD.xml" not in members:
        return _mismatch(name, ext)
    for member in members:
        if member.lower().endswith(EXECUTABLE_MEMBER_SUFFIXES):
            return f"压缩包“{name}”中含有可执行文件“{member}”，不能上传。"
    return None


def _text_problem(name, ext, head):
    if b"\x00" in head:
        return _mismatch(name, ext)
    complete = len(head) < SNIFF_BYTES
    for encoding in TEXT_ENCODINGS:
        try:
            # final=False: a character cut at the sniff boundary is not an error.
            codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
            break
        except UnicodeDecodeError:
            continue
    else:
        return f"文件“{name}”不是可识别的文本（应为 UTF-8 或 GB18030 编码），请检查文件。"
    if ACTIVE_CONTENT_RE.search(head):
        return f"文件“{name}”中含有网页或脚本代码，出于安全原因不能上传。"
    return None


def document_content_problem(name, fileobj):
    """Why this upload's content does not match its extension, or None if it does."""
    ext = _extension(name)
    head = _read_head(fileobj, SNIFF_BYTES)
    if not head:
        return f"文件“{name}”是空文件，请检查后重新上传。"
    kind = sniffed_kind(head)
    what = DANGEROUS_KINDS.get(kind) or next(
        (what for magic, what in DANGEROUS_MAGICS.items() if head.startswith(magic)), None
    )
    if what:
        return f"文件“{name}”实际是{what}，不能作为文档上传。"
    if ext == "pdf":
        # Not filetype's "pdf" (the header at byte 0): readers accept a PDF whose
        # header comes anywhere in the first 1024 bytes, and such files exist.
        return None if b"%PDF-" in head[:1024] else _mismatch(name, ext)
    if ext in ("doc", "xls", "ppt", "wps"):
        return None if kind == "ole2" else _mismatch(name, ext)
    if ext in OOXML_MAIN_TYPES:
        if kind != "zip":
            return _mismatch(name, ext)
        return _ooxml_problem(name, ext, fileobj)
    if ext in ("zip", "ofd"):
        if kind != "zip":
            return _mismatch(name, ext)
        return _zip_problem(name, ext, fileobj)
    if ext in ("txt", "csv"):
        return _text_problem(name, ext, head)
    # An extension added to WAGTAILDOCS_EXTENSIONS without a content rule: at
    # least refuse active content.
    if ACTIVE_CONTENT_RE.search(head[:4096]):
        return f"文件“{name}”中含有网页或脚本代码，出于安全原因不能上传。"
    return None


def check_bytes(name, data):
    """Convenience for callers holding bytes rather than a file."""
    return document_content_problem(name, io.BytesIO(data))
