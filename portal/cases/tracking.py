"""The resident's private query code, and what a resident may read about a case.

A resident follows their report with the case number (printed on the thank-you
page, guessable: numbers are sequential) and a private **query code**. The code:

* is derived from the report form's one-time token (``code_for_token``), so the
  same form posted twice (a double tap, a resent request) shows the same code
  again instead of a new one that would silently invalidate the first. The token
  lives only in the resident's browser; the database keeps ``sha256(token)`` as
  the case's ``submission_key``, from which the token (hence the code) cannot be
  recovered;
* is stored only as a keyed hash (``hash_code``: HMAC-SHA256 under a key derived
  from ``SECRET_KEY``), so a database dump alone does not reveal any code, not
  even by trying all 10⁸ of them;
* is compared in constant time (``code_matches``);
* cannot be guessed: every failed look-up is counted per case number and per
  client address (the rate limiter's ``case_tracking_number`` and
  ``case_tracking_address`` buckets, ``RATE_LIMITS``); at the limit the number
  or the address is refused for a period (``attempt_refusal``). A wrong number
  and a wrong code are the same failure, counted and answered alike, so the
  answer never tells whether a number exists.

``public_timeline`` is the one rule of which parts of a case's event log a
resident (or the public) may read; see its docstring.
"""

import hashlib
import hmac
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.crypto import constant_time_compare, salted_hmac

from portal.security.ratelimit import blocked_for, client_address, count_hit

from .models import Case, CaseEvent

CODE_DIGITS = 8
_KEY_SALT = "portal.cases.tracking.code"
_HASH_SALT = "portal.cases.tracking.hash"
_CODE_RE = re.compile(r"^\d{8}$")

WRONG_ANSWER = "案件编号或查询码不正确，请核对后重试。"


# --- the code --------------------------------------------------------------------


def submission_key_for_token(token):
    """What the database keeps of a form token (``Case.submission_key``)."""
    return hashlib.sha256(("report-form:" + token).encode()).hexdigest()


def code_for_token(token):
    """The 8-digit query code of the report made with form ``token``."""
    digest = salted_hmac(_KEY_SALT, token, algorithm="sha256").digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def hash_code(number, code):
    """The keyed hash stored in ``Case.tracking_code_hash`` (bound to the case number)."""
    return salted_hmac(_HASH_SALT, f"{number}:{code}", algorithm="sha256").hexdigest()


def normalise_code(value):
    """Half-width digits only: residents type ``1234 5678`` or full-width digits."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(ch for ch in text if ch.isdigit())


def normalise_number(value):
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    return "".join(text.split())


def display_code(code):
    """``12345678`` → ``1234 5678`` (easier to copy onto paper)."""
    return f"{code[:4]} {code[4:]}"


def code_matches(case, code):
    """Constant-time check of ``code`` against the case's stored hash."""
    if case is None or not case.tracking_code_hash or not _CODE_RE.match(code or ""):
        return False
    return constant_time_compare(hash_code(case.number, code), case.tracking_code_hash)


# --- guessing ----------------------------------------------------------------------


def _keys(request, number):
    """``{rate-limit bucket: key}`` a look-up of ``number`` from this client counts against."""
    number_key = hmac.new(b"n", number.encode(), "sha256").hexdigest()[:32]
    return {
        "case_tracking_number": number_key,
        "case_tracking_address": client_address(request),
    }


def attempt_refusal(request, number):
    """``(Chinese message, seconds)`` while look-ups for ``number`` or from this client are
    blocked, else ``("", 0)``.

    Read-only: counts are raised by ``record_failure``. A store outage lets the
    look-up through (logged), like every rate limit.
    """
    for bucket, key in _keys(request, number).items():
        seconds = blocked_for(bucket, key)
        if seconds:
            minutes = max(1, math.ceil(seconds / 60))
            return f"查询失败次数过多，请在 {minutes} 分钟后再试。", math.ceil(seconds)
    return "", 0


def record_failure(request, number):
    """Count one failed look-up; at the limit the number/client is blocked for a period."""
    for bucket, key in _keys(request, number).items():
        count_hit(bucket, key, block=True)


class Lookup(NamedTuple):
    """What a tracking look-up gives: the case, or a Chinese refusal (and, while the
    client is blocked, the seconds it must wait: the view's ``Retry-After``)."""

    case: object
    refusal: str = ""
    retry_after: int = 0


def find_tracked_case(request, number, code):
    """A ``Lookup``: the case if number and code match, else None and a Chinese message.

    The same message for a wrong number and a wrong code; the failure is counted.
    """
    number = normalise_number(number)
    code = normalise_code(code)
    refusal, seconds = attempt_refusal(request, number)
    if refusal:
        return Lookup(None, refusal, seconds)
    case = (
        Case.objects.select_related("category", "village", "grid").filter(number=number).first()
        if number
        else None
    )
    if case is not None and code_matches(case, code):
        return Lookup(case)
    if case is None:
        # Spend the same hashing work as for an existing number.
        hash_code(number, code)
    record_failure(request, number)
    return Lookup(None, WRONG_ANSWER)


# --- what a resident may read ------------------------------------------------------------

# The public wording of each step: the resident sees what happened, not who did it.
PUBLIC_STEP_TEXT = {
    CaseEvent.Action.CREATE: "已受理，等待分拨",
    CaseEvent.Action.IMPORT: "已登记",
    CaseEvent.Action.DISPATCH: "已分拨至承办单位",
    CaseEvent.Action.HANDLE: "承办单位正在处置",
    CaseEvent.Action.CLOSE: "已办结",
    CaseEvent.Action.VISIT: "已回访",
    CaseEvent.Action.RATE: "群众已评价",
    CaseEvent.Action.RETURN: "退回重新分拨",
    CaseEvent.Action.ESCALATE: "已上报上级办理",
}
REOPEN_NOTE = "群众不满意，重新办理"


@dataclass(frozen=True)
class PublicStep:
    at: object  # aware datetime
    label: str  # the step (受理, 分拨 …)
    text: str  # the public-safe note


def public_step(event, case, *, include_resolution):
    """The public form of one event, or None when it has nothing a resident may read.

    Safe fields, and only these: the action, its time, the tiers it moved between
    (网格 → 村/社区 …, names of no one) and, for 办结, the case's resolution when
    ``include_resolution`` (the resident's own case; public pages show the public
    summary instead). Never shown: the actor, ``detail`` (it names the unit or the
    person it was dispatched to and the handler) and ``note`` (free text typed by
    staff — it may name people or carry phones), the from/to statuses beyond the
    step itself.
    """
    action = event.action
    text = PUBLIC_STEP_TEXT.get(action)
    if text is None:
        return None
    if action == CaseEvent.Action.ESCALATE and event.to_tier:
        text = f"已上报至{Case.Tier(event.to_tier).label}层级办理"
    elif action == CaseEvent.Action.RETURN and event.from_status in Case.CLOSED_STATUSES:
        # Only ``rating.rate_case`` sends a closed case back (不满意).
        text = REOPEN_NOTE
    elif action == CaseEvent.Action.CLOSE and include_resolution and case.resolution:
        text = f"已办结。处置结果：{case.resolution}"
    return PublicStep(event.at, event.get_action_display(), text)


def public_timeline(case, *, include_resolution=False):
    """The steps of ``case`` a resident may read, oldest first (see ``public_step``)."""
    steps = []
    for event in case.events.order_by("at", "id"):
        step = public_step(event, case, include_resolution=include_resolution)
        if step is not None:
            steps.append(step)
    return steps
