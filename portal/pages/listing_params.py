"""Query-string values of the public list pages (notices, policies), checked.

Each parser returns the clean value or raises ``ValueError`` with a Chinese
message; the listings show the message and ignore the value instead of failing
the page.
"""


def parse_choice(raw, choices, what):
    """A valid choice value, '' for none."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw not in choices:
        raise ValueError(f"没有“{raw}”这个{what}，已显示全部{what}。")
    return raw


def parse_year(raw):
    """A year as int, None for none."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1900 <= int(raw) <= 2999:
        raise ValueError(f"年份“{raw}”无效，请填写四位数字的年份，已显示全部年份。")
    return int(raw)
