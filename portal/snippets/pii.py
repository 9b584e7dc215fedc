"""Personal data helpers: ID-number validation, encryption at rest, keyed hash, masking.

ID numbers (公民身份号码, GB 11643-1999) are sensitive personal information: they
are stored only as AES-GCM ciphertext, found through an HMAC-SHA256 of the
normalised value, and shown masked. Keys are derived from ``settings.PII_KEY``
(falling back to ``SECRET_KEY`` outside production).
"""

import base64
import datetime
import hashlib
import hmac
import os
import unicodedata
from functools import lru_cache
from operator import mul

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_STARTED_YEAR = datetime.date.today().year


def normalise_id_number(value):
    """Full-width to half-width, strip spaces, upper-case the trailing x."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    return text.upper()


def id_check_code(first17):
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"an ID number's check code is computed from 17 digits, not {first17!r}")
    # map/mul in C: checking a 10⁵-row roster computes this twice per row.
    total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK_CODES[total % 11]


def birth_date_from_id(id_number):
    """The birth date encoded in an 18-digit ID number, or None if impossible."""
    try:
        born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    if born.year < 1900:
        return None
    # ``date.today()`` costs a clock read; a year before the one this process started
    # in is in the past without asking (a roster import calls this several times a row).
    if born.year >= _STARTED_YEAR and born > datetime.date.today():
        return None
    return born


def gender_from_id(id_number):
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(id_number[16]) % 2 else "F"


def id_number_problem(value):
    """Return a Chinese description of what is wrong with an ID number, or None."""
    return normalised_id_number_problem(normalise_id_number(value))


def normalised_id_number_problem(number):
    """``id_number_problem`` for a value ``normalise_id_number`` has already returned
    (normalising is idempotent): a roster's cleaner normalises each number once."""
    if not number:
        return "身份证号不能为空"
    if len(number) != 18:
        if number.isdigit() and len(number) > 18:
            return "身份证号位数过多"
        return f"身份证号应为18位，实际为{len(number)}位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号只能由数字和末位X组成"
    if birth_date_from_id(number) is None:
        return f"身份证号中的出生日期 {number[6:14]} 不存在"
    if id_check_code(number[:17]) != number[17]:
        return "身份证号校验位错误，请核对是否录入有误"
    return None


def validate_id_number(value):
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_id_number")


def mask_id_number(id_number):
    """4115**********123X: region prefix and last four only."""
    return mask_normalised_id_number(normalise_id_number(id_number))


def mask_normalised_id_number(number):
    """``mask_id_number`` of an already normalised number."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone):
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


@lru_cache(maxsize=4)
def _keys(master):
    enc = hashlib.sha256(b"portal-pii-encryption:" + master.encode()).digest()
    mac = hashlib.sha256(b"portal-pii-lookup-hash:" + master.encode()).digest()
    return AESGCM(enc), mac


def _master_key():
    return settings.PII_KEY or settings.SECRET_KEY


def hash_id_number(id_number):
    """Keyed hash used for uniqueness and lookups; reveals nothing without the key."""
    return hash_normalised_id_number(normalise_id_number(id_number))


def hash_normalised_id_number(number):
    """``hash_id_number`` of an already normalised number (the same digest)."""
    _, mac = _keys(_master_key())
    return hmac.new(mac, number.encode(), hashlib.sha256).hexdigest()


def encrypt_id_number(id_number):
    return encrypt_normalised_id_number(normalise_id_number(id_number))


def encrypt_normalised_id_number(number):
    """``encrypt_id_number`` of an already normalised number."""
    aead, _ = _keys(_master_key())
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, number.encode(), b"id_number")
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_id_number(token):
    aead, _ = _keys(_master_key())
    raw = base64.urlsafe_b64decode(token.encode())
    return aead.decrypt(raw[:12], raw[12:], b"id_number").decode()


def sealed_id_fields(id_number):
    """The three stored columns for an ID number, in one call for forms and importers."""
    number = normalise_id_number(id_number)
    return {
        "id_number_encrypted": encrypt_normalised_id_number(number),
        "id_number_hash": hash_normalised_id_number(number),
        "id_number_masked": mask_normalised_id_number(number),
    }
