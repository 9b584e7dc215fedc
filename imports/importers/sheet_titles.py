"""What the lines above a table say about whose table it is.

Office registers open with a title ("浉河区网格基础信息台账", "信阳市浉河区2024年网格
统计表") and often a "填报单位：浉河区委政法委" line. On an empty install the grid
importer proposes the county from them, so it needs the county's name out of
that text: the last county-level unit (…县, …区, …旗, …市) named before the
words that describe the table.
"""

import re
import unicodedata

from ..cleaning import is_blank
from ..reading import open_sheet
from ..safety import FileRefused, check_file

_UNIT_RE = re.compile(r"[\u4e00-\u9fff]+?(?:自治县|自治旗|新区|林区|特区|县|区|旗|市|街道|镇|乡)")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "旗", "市")
# Where the name of the place ends and the name of the table begins.
_TABLE_WORDS_RE = re.compile(
    r"(\d{2,4}年|[一二三四]季度|网格|基础|信息|台账|花名册|统计|登记|汇总|名单|名册|一览|明细|情况|关于)"
)
_UNIT_LABEL_RE = re.compile(r"^(填报单位|填表单位|报送单位|上报单位|制表单位|单位)[:：]?")
_SKIP_PREFIXES = ("填报日期", "填表日期", "日期", "填表人", "填报人", "联系电话", "制表人")


def county_name_from_texts(texts):
    """The county's name from title / 填报单位 texts, or "" when none names one."""
    for raw in texts:
        text = "".join(unicodedata.normalize("NFKC", str(raw)).split())
        if not text or text.startswith(_SKIP_PREFIXES):
            continue
        labelled = _UNIT_LABEL_RE.match(text)
        if labelled:
            text = text[labelled.end() :]
        else:
            words = _TABLE_WORDS_RE.search(text)
            if words is None:
                continue
            text = text[: words.start()]
        counties = [unit for unit in _UNIT_RE.findall(text) if unit.endswith(_COUNTY_SUFFIXES)]
        if counties:
            return counties[-1]
    return ""


def texts_above_header(path, file_name, limits, header_row):
    """Every filled cell above the header row of the file's first sheet (in reading order)."""
    try:
        fmt = check_file(path, file_name, limits)
        sheet = open_sheet(path, fmt, limits)
    except FileRefused:
        return []
    texts = []
    for number, values in sheet.rows:
        if number >= header_row:
            break
        texts.extend(str(value).strip() for value in values if not is_blank(value))
    return texts
