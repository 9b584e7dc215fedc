"""Cell values as people type them, turned into clean Python values.

Each ``clean_*`` function takes one raw cell value (whatever the reader gave:
``str``, ``float``, ``int``, ``bool``, ``date``, ``datetime`` or ``""``) and
returns the cleaned value, or raises ``CellError`` with a Chinese message
that names what is wrong (the caller adds the row and the column). Blank cells
never reach a cleaner; the importer decides what blank means.

What is accepted: stray and full-width spaces, full-width digits, phones with
dashes or typed as numbers, a lowercase x at the end of an ID number, dates as
Excel dates or serial numbers, ``2023年5月1日``, ``2023.5.1``, ``2023/05/01``,
``2023-05-01`` and ``20230501``, choices by their Chinese names.
"""

import datetime
import re
import time
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from portal.snippets.phones import MOBILE_RE, normalise_phone, phone_problem
from portal.snippets.pii import normalise_id_number, normalised_id_number_problem


class CellError(ValueError):
    """A cell that cannot be imported; the message is Chinese and names the problem."""


def is_blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


def _nfkc(value):
    return unicodedata.normalize("NFKC", str(value))


def _number_text(value):
    """A number typed into a text column (e.g. a phone): 13800138000.0 → "13800138000"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SPACES_RE = re.compile(r"\s+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def clean_text(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _number_text(value)
    text = str(value).replace("\u3000", " ").replace("\xa0", " ").strip()
    return text


def clean_name(value):
    """Names: Chinese offices pad two-character names with spaces ("张  三")."""
    text = clean_text(value)
    if _CJK_RE.search(text):
        return _SPACES_RE.sub("", text)
    return _SPACES_RE.sub(" ", text)


def clean_code(value):
    """Digit codes (grid codes) typed as text, with full-width digits, or as a number."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("编码应为数字，不能含小数")
        value = int(value)
    text = _nfkc(value).strip().replace(" ", "")
    if not text.isdigit():
        raise CellError(f"编码“{text}”只能由数字组成")
    return text


# --- ID numbers ------------------------------------------------------------------

LOST_DIGITS_MESSAGE = (
    "身份证号被 Excel 当作数字保存，末尾几位已经丢失（显示为 4.11502E+17 或末尾变成 000）。"
    "请将该列设置为文本格式后重新填写身份证号"
)
_SCIENTIFIC_RE = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


def clean_id_number(value):
    if isinstance(value, bool):
        raise CellError("身份证号格式不正确")
    if isinstance(value, (int, float)):
        # Excel keeps 15 significant digits: an 18-digit number has lost its tail.
        raise CellError(LOST_DIGITS_MESSAGE)
    number = normalise_id_number(value)
    if _SCIENTIFIC_RE.match(number) or (number.endswith(".0") and number[:-2].isdigit()):
        raise CellError(LOST_DIGITS_MESSAGE)
    problem = normalised_id_number_problem(number)  # ``number`` is normalised already
    if problem:
        if len(number) == 18 and number.isdigit() and number.endswith("000"):
            raise CellError(f"{problem}。{LOST_DIGITS_MESSAGE}")
        raise CellError(problem)
    return number


# --- phones ------------------------------------------------------------------------


def clean_phone(value):
    text = _number_text(value) if isinstance(value, (int, float)) else str(value)
    if text.isascii() and MOBILE_RE.fullmatch(text):
        return text  # already canonical: what normalise_phone would return, and valid
    number = normalise_phone(text)
    problem = phone_problem(number)
    if problem:
        raise CellError(problem)
    return number


# --- numbers -----------------------------------------------------------------------

_UNIT_SUFFIX_RE = re.compile(r"(户|人|小时|h|H|个)$")


def clean_count(value):
    """A non-negative whole number: 户数, 人口数. Accepts "1,234", "１２３", "300户"."""
    if isinstance(value, bool):
        raise CellError("应填写整数")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = _UNIT_SUFFIX_RE.sub("", _nfkc(value).strip().replace(",", "").replace(" ", ""))
        try:
            number = float(text)
        except ValueError as exc:
            raise CellError(f"“{clean_text(value)}”不是数字") from exc
    if number != int(number):
        raise CellError("应填写整数")
    if number < 0:
        raise CellError("不能为负数")
    return int(number)


def clean_hours(value):
    """Hours with one decimal: 12.5, "12.5小时"."""
    if isinstance(value, bool):
        raise CellError("应填写数字")
    text = _number_text(value) if isinstance(value, (int, float)) else _nfkc(value).strip()
    text = _UNIT_SUFFIX_RE.sub("", text.replace(",", ""))
    try:
        hours = Decimal(text).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise CellError(f"“{clean_text(value)}”不是数字") from exc
    if hours < 0:
        raise CellError("不能为负数")
    if hours >= Decimal("100000"):
        raise CellError("数值过大，请核对")
    return hours


# --- dates -------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_RE = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})秒?)?分?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH_RE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?$")
EARLIEST_YEAR = 1900


def _from_serial(number):
    if not 1 <= number < 2958466:
        raise CellError(f"“{_number_text(number)}”不是有效的日期")
    whole = int(number)
    moment = datetime.datetime.combine(_EXCEL_EPOCH, datetime.time()) + datetime.timedelta(
        days=whole, seconds=round((number - whole) * 86400)
    )
    return moment


def _parse_moment(value, allow_year_month=False):
    """→ (datetime.date or naive datetime, has_time). Raises CellError."""
    if isinstance(value, datetime.datetime):
        return value, True
    if isinstance(value, datetime.date):
        return value, False
    if isinstance(value, bool) or isinstance(value, (datetime.time, datetime.timedelta)):
        raise CellError("不是有效的日期")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return _from_serial(value), True
        number = int(value)
        if 19000101 <= number <= 29991231:
            value = str(number)
        else:
            moment = _from_serial(number)
            return moment.date(), False
    text = _nfkc(value).strip()
    try:
        match = _DATE_RE.match(text)
        if match:
            year, month, day, hour, minute, second = match.groups()
            if hour is None:
                return datetime.date(int(year), int(month), int(day)), False
            moment = datetime.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
            return moment, True
        match = _COMPACT_DATE_RE.match(text)
        if match:
            return datetime.date(*(int(part) for part in match.groups())), False
        match = _YEAR_MONTH_RE.match(text)
        if match and allow_year_month:
            return datetime.date(int(match.group(1)), int(match.group(2)), 1), False
    except ValueError as exc:
        raise CellError(f"日期“{text}”不存在") from exc
    raise CellError(f"“{text}”不是可识别的日期，请填写如 2023-05-01 或 2023年5月1日")


_today_cache = [None, 0.0]


def _today():
    """``timezone.localdate()`` looked up at most once a minute: it is called per cell."""
    now = time.monotonic()
    if _today_cache[0] is None or now - _today_cache[1] > 60:
        _today_cache[:] = [timezone.localdate(), now]
    return _today_cache[0]


def _check_range(day, allow_future):
    if day.year < EARLIEST_YEAR:
        raise CellError(f"日期 {day:%Y-%m-%d} 早于 {EARLIEST_YEAR} 年，请核对")
    if not allow_future and day > _today():
        raise CellError(f"日期 {day:%Y-%m-%d} 晚于今天，请核对")


def clean_date(value, *, allow_future=False):
    moment, _has_time = _parse_moment(value)
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    _check_range(day, allow_future)
    return day


def clean_year_month_or_date(value):
    """出生年月: a full date, or a year and month ("1990.01", "1990年1月") → (date, precise)."""
    if isinstance(value, str) and _YEAR_MONTH_RE.match(_nfkc(value).strip()):
        day, _ = _parse_moment(value, allow_year_month=True)
        _check_range(day, allow_future=False)
        return day, False
    return clean_date(value), True


def clean_datetime(value):
    """A moment in the local time zone (aware). A bare date means its midnight."""
    moment, has_time = _parse_moment(value)
    if not has_time:
        moment = datetime.datetime.combine(moment, datetime.time())
    _check_range(moment.date(), allow_future=False)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise CellError(f"时间 {timezone.localtime(moment):%Y-%m-%d %H:%M} 晚于现在，请核对")
    return moment


# --- choices and lists -----------------------------------------------------------------


def choice_cleaner(choices, label, aliases=None):
    """A cleaner that maps Chinese labels (and the stored codes, and aliases) to codes."""
    lookup = {}
    for code, text in choices:
        lookup[_key(text)] = code
        lookup[_key(code)] = code
    for alias, code in (aliases or {}).items():
        lookup[_key(alias)] = code
    allowed = "、".join(str(text) for _code, text in choices)

    def clean(value):
        key = _key(clean_text(value))
        try:
            return lookup[key]
        except KeyError:
            raise CellError(f"{label}“{clean_text(value)}”无法识别，可填写：{allowed}") from None

    clean.allowed = [str(text) for _code, text in choices]
    return clean


def _key(text):
    return _nfkc(text).strip().replace(" ", "").lower()


_TRUE = {"是", "公开", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "不公开", "n", "no", "false", "0", "×", "✗", "不", "无"}


def clean_bool(value):
    if isinstance(value, bool):
        return value
    key = _key(_number_text(value) if isinstance(value, (int, float)) else value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"“{clean_text(value)}”无法识别，请填写“是”或“否”")


_LIST_SPLIT_RE = re.compile(r"[、，,；;/\n]+")
_LIST_SPLIT_WITH_SPACES_RE = re.compile(r"[、，,；;/\s]+")


def clean_list(value):
    """Names separated by 、 ， , ； ; / or new lines → a tuple without blanks or repeats."""
    return _split(clean_text(value), _LIST_SPLIT_RE)


def clean_word_list(value):
    """Like ``clean_list`` but spaces separate too (skills: "医疗 法律")."""
    return _split(clean_text(value), _LIST_SPLIT_WITH_SPACES_RE)


def _split(text, pattern):
    seen = []
    for part in pattern.split(text):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return tuple(seen)


def clean_name_list(value):
    return tuple(clean_name(part) for part in clean_list(value))
