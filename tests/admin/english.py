"""Find English UI words in an admin page: what a staff member reads, not the markup.

Visible text is the text of the HTML minus ``<script>``/``<style>``, commands in
``<code>``/``<kbd>`` (and the hidden ``<svg>`` icon sprites), plus the attributes a person reads or hears
(``title``, ``placeholder``, ``aria-label``, ``alt``, tooltip content, the
label of submit buttons) and the menu labels inside the sidebar's JSON props.
A word is "English" when it is a run of two or more Latin letters that is not
on the allow-list below and not part of a data value (an e-mail address, a
URL or path, a file name, an identifier with digits or underscores, or one of
the fixture's own data strings such as user names).
"""

import json
import re
from html.parser import HTMLParser

# Words that are legitimately Latin on a Chinese admin screen, with the reason.
ALLOWED_WORDS = {
    # product and standard names staff know by these names
    "wagtail",  # the CMS's name in its footer/guide links
    "api",
    "open311",
    "georeport",  # Open311 GeoReport v2
    "json",
    "rss",
    "atom",
    "openapi",
    "excel",
    "wps",
    "ofd",  # Chinese e-document format
    "pdf",
    "csv",
    "tsv",
    "geojson",  # the boundary field's format, with its type names staff type
    "polygon",
    "multipolygon",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "ppt",
    "pptx",
    "txt",
    "zip",
    "html",
    "url",
    "id",
    "gps",
    "exif",
    "utf",  # UTF-8 in file-format hints
    "gb",  # GB18030 / GBK encodings
    "gbk",
    "kb",
    "mb",
    "px",
    "javascript",
    "elasticsearch",
    "redis",
    "sqlite",
    "postgresql",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "svg",
    "avif",
    "heic",
    "ico",
    "bmp",
    "tiff",
    # key caps in the keyboard-shortcuts dialog: printed on the keys themselves
    "ctrl",
    "alt",
    "shift",
    "esc",
    "cmd",
    "tab",
    "enter",
    "am",  # 12-hour clock markers never shown in zh, but harmless
    "pm",
}

# Attributes whose values a person reads (or a screen reader speaks).
READ_ATTRIBUTES = {
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "alt",
    "data-w-tooltip-content-value",
    "data-w-copy-text-value",
    "data-w-progress-active-value",  # a button's label while it works (正在保存……)
}

# ``<code>``/``<kbd>`` hold commands and keys typed verbatim (``python manage.py …``), not UI words.
SKIP_CONTENT_TAGS = {"script", "style", "svg", "noscript", "textarea", "code", "kbd"}

_DATA_TOKEN = re.compile(
    r"""
    [\w.+-]+@[\w-]+(?:\.[\w-]+)+            # e-mail
  | (?:https?://|/)[^\s"'<>，。、）)]*        # URL or absolute path
  | [\w\-.]+\.(?:xlsx|xls|csv|pdf|docx?|png|jpe?g|gif|txt|zip|ofd|wps|webp)\b  # file name
  | \b[\w-]*\d[\w-]*\b                      # token with digits (codes, ids, versions)
  | \b\w+_\w+\b                             # snake_case identifiers (usernames, codes)
  | \b[a-z]+\.[a-z_]+\b                     # app_label.model (Wagtail's page-type report)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{2,}")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts = []
        self.json_blobs = []
        self._json_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._json_script = True
        if tag in SKIP_CONTENT_TAGS:
            self.skip += 1
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((f"@{name}", attrs[name]))
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            if attrs.get("value"):
                self.texts.append(("@value", attrs["value"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIP_CONTENT_TAGS:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in SKIP_CONTENT_TAGS and self.skip:
            self.skip -= 1
        if tag == "script":
            self._json_script = False

    def handle_data(self, data):
        if self._json_script:
            self.json_blobs.append(data)
        elif not self.skip and data.strip():
            self.texts.append(("text", data))


def _labels_in_json(value, out):
    """Menu props: every ``label``/``title``/``text`` string in Wagtail's JSON props."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"label", "title", "text", "help_text", "error_name"} and isinstance(
                item, str
            ):
                out.append(("@json", item))
            else:
                _labels_in_json(item, out)
    elif isinstance(value, list):
        for item in value:
            _labels_in_json(item, out)


def visible_strings(html):
    """(where, string) pairs a person reads on the page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    strings = list(collector.texts)
    for blob in collector.json_blobs:
        try:
            _labels_in_json(json.loads(blob), strings)
        except ValueError:
            continue
    return strings


def english_words(text, data_values=()):
    """English words in ``text`` that are neither allowed nor part of a data value."""
    text = _DATA_TOKEN.sub(" ", text)
    for value in data_values:
        if value:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", " ", text)
    return [w for w in _WORD.findall(text) if w.lower() not in ALLOWED_WORDS]


def english_on_page(html, data_values=()):
    """[(where, offending string, [words])] for one page."""
    found = []
    for where, string in visible_strings(html):
        words = english_words(string, data_values)
        if words:
            found.append((where, " ".join(string.split())[:160], words))
    return found
