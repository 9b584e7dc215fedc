"""Phone numbers as offices type them: normalise, then validate.

Rosters arrive with full-width digits (１３８…), odd dashes (－ — ‐), spaces,
parentheses around the area code, a ``+86`` prefix or ``转`` before an extension.
``normalise_phone`` turns all of that into one canonical text; ``phone_problem``
says in Chinese what is still wrong. Admin forms, the importer and the API use
these two functions so a number accepted in one place is accepted everywhere.

Canonical forms:
- mainland mobile: ``13812345678``
- landline: ``0371-12345678`` (area code, dash, 7–8 digit local number),
  optionally ``-801`` for an extension.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^(0\d{2,3})-([1-9]\d{6,7})(?:-(\d{1,6}))?$")

# Everything people use as a separator between number groups.
_DASHES = "-‐‑‒–—―−﹣－ー一"
_DASH_RE = re.compile("[" + re.escape(_DASHES) + r"\s]+")


def _area_code_length(digits):
    """Beijing (010) and the 02x cities have 3-digit area codes, the rest 4."""
    return 3 if digits[:2] in {"01", "02"} else 4


def normalise_phone(value):
    """Return the canonical text for a phone number, or the cleaned input if unrecognised.

    Never raises: an unrecognisable value comes back cleaned (half-width, trimmed)
    so that ``phone_problem`` can name what is wrong with it.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return ""
    text = text.replace("转", "-").replace("(", "").replace(")", "-")
    text = _DASH_RE.sub("-", text).strip("-")
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    elif text.startswith("0086"):
        text = text[4:].lstrip("-")
    elif text.startswith("86-") or (text.startswith("86") and MOBILE_RE.match(text[2:])):
        text = text[2:].lstrip("-")

    compact = text.replace("-", "")
    if MOBILE_RE.match(compact):
        return compact
    if not text.startswith("0"):
        return text

    parts = text.split("-")
    if not all(part.isdigit() for part in parts):
        return text
    area, rest = parts[0], parts[1:]
    if len(area) > 4:
        # 037112345678 or 037112345678-801: split off the area code by its rule.
        cut = _area_code_length(area)
        area, rest = area[:cut], [area[cut:], *rest]
    # "0371 6300 1234": groups after the area code make up the local number
    # until it has 7 digits; whatever follows is the extension.
    local = ""
    while rest and len(local) < 7:
        local += rest.pop(0)
    return "-".join(filter(None, [area, local, "".join(rest)]))


def phone_problem(value):
    """A Chinese description of what is wrong with a phone number, or None if it is valid.

    An empty value is not a problem here: whether a phone is required is the
    caller's decision.
    """
    number = normalise_phone(value)
    if not number:
        return None
    if MOBILE_RE.match(number) or LANDLINE_RE.match(number):
        return None
    digits = number.replace("-", "")
    if not digits.isdigit():
        return f"电话号码“{value}”含有数字以外的字符"
    if digits.startswith("1"):
        if len(digits) != 11:
            return f"手机号码应为11位，“{value}”为{len(digits)}位"
        return f"手机号码“{value}”的号段不存在（应以13–19开头）"
    if digits.startswith("0"):
        return f"固定电话“{value}”格式不正确，应为区号加7–8位号码，如 0371-12345678"
    return f"电话号码“{value}”格式不正确：手机号为11位，固定电话须带区号（如 0371-12345678）"


def validate_phone(value):
    """Django validator form of ``phone_problem``."""
    problem = phone_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_phone")


def clean_phone_attribute(instance, name):
    """Model ``clean`` step: normalise ``instance.<name>`` in place, refuse it if still wrong."""
    setattr(instance, name, normalise_phone(getattr(instance, name)))
    problem = phone_problem(getattr(instance, name))
    if problem:
        raise ValidationError({name: problem})
