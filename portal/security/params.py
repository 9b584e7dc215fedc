"""One strict parser for integer query parameters, used by every public view and API.

Why not ``str.isdigit()`` / ``int()``: ``"²".isdigit()`` is True but ``int("²")``
raises; ``int("٣")`` is 3 (Arabic-Indic digits), ``int(" 1_000 ")`` is 1000, and
``int("9" * 30)`` overflows SQLite's 64-bit integers and PostgreSQL's ``bigint``
deep inside the query. Each of those became a 500. Only ASCII digits are
accepted here, with a bounded length and a bounded value, and every refusal
carries a Chinese message naming the parameter.
"""

import re

# 18 digits fit in a signed 64-bit integer whatever their value.
_ASCII_INT_RE = re.compile(r"-?[0-9]{1,18}", re.ASCII)
# The largest value any database column or slice may see.
MAX_SAFE = 2**53


class InvalidParameter(ValueError):
    """A query parameter that is not what the view accepts; ``message`` is Chinese."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name
        self.message = message


def parse_int(value, name, *, default=None, minimum=0, maximum=MAX_SAFE):
    """``value`` (a query-string value) as an int within [minimum, maximum].

    Absent or empty → ``default``. Anything else that is not plain ASCII digits
    (an optional leading minus) within the bounds raises ``InvalidParameter``.
    """
    if value is None:
        return default
    text = str(value).strip()
    if text == "":
        return default
    shown = text if len(text) <= 30 else text[:30] + "…"
    if not _ASCII_INT_RE.fullmatch(text):
        raise InvalidParameter(name, f"参数 {name} 应为整数（半角数字），收到“{shown}”")
    number = int(text)
    if minimum is not None and number < minimum:
        raise InvalidParameter(name, f"参数 {name} 不能小于 {minimum}，收到“{shown}”")
    if maximum is not None and number > maximum:
        raise InvalidParameter(name, f"参数 {name} 不能大于 {maximum}，收到“{shown}”")
    return number


def int_or_none(value, *, minimum=0, maximum=MAX_SAFE):
    """Lenient form for filters that ignore bad values: the int, or None."""
    try:
        return parse_int(value, "value", minimum=minimum, maximum=maximum)
    except InvalidParameter:
        return None
