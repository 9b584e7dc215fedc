"""Issue, check and revoke Open311 ``api_key``s (one door for the admin, the command and the API).

A key is ``o311_`` + 8 characters of prefix + 32 random URL-safe characters
(``secrets``). Only the prefix (to tell keys apart, and to find the row) and
the SHA-256 of the whole key are stored; a presented key is hashed and
compared with ``hmac.compare_digest``, so neither the database nor the
comparison's timing gives the key away. A plain SHA-256 (no slow hash) is
enough: the key has ~190 random bits, nothing a dictionary could guess.

Issuing and revoking a key are written to Wagtail's audit log (by whoever did
it: an admin, or the system for ``manage.py open311_key``), so the site
history shows who let which application write cases, and when that ended.
"""

import hashlib
import hmac
import re
import secrets

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.api.models import Open311Key

KEY_PREFIX = "o311_"
PREFIX_LENGTH = 8
_KEY_RE = re.compile(r"^o311_([A-Za-z0-9_-]{8})[A-Za-z0-9_-]{32,64}$")
NAME_MAX_LENGTH = Open311Key._meta.get_field("name").max_length
# last_used_at is written at most this often per key.
LAST_USED_INTERVAL = 60
REVOKE_ACTION = "portal.open311_key.revoke"


class KeyProblem(ValueError):
    """A refused key operation; the message is Chinese."""


def may_manage_keys(user):
    """Superusers, and county admins (区县管理员) assigned to a county: a key reaches every grid."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from portal.groups import COUNTY_ADMIN

    return (
        user.groups.filter(name=COUNTY_ADMIN).exists()
        and user.staff_regions.filter(region__level="county").exists()
    )


def hash_key(raw):
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def _new_raw_key():
    while True:
        raw = KEY_PREFIX + secrets.token_urlsafe(30)[: PREFIX_LENGTH + 32]
        if _KEY_RE.match(raw):
            return raw


def clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise KeyProblem("请填写使用该密钥的应用名称")
    if len(name) > NAME_MAX_LENGTH:
        raise KeyProblem(f"应用名称不能超过 {NAME_MAX_LENGTH} 个字")
    return name


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def issue_key(name, user=None):
    """Create a key for the application ``name``. Returns ``(Open311Key, raw key)``.

    The raw key is returned once, here; it cannot be recovered afterwards.
    """
    name = clean_name(name)
    user = _actor(user)
    if Open311Key.objects.filter(name=name).exists():
        raise KeyProblem(f"已有名为“{name}”的应用密钥，请换一个名称，或先吊销原来的密钥")
    for _attempt in range(5):
        raw = _new_raw_key()
        try:
            with transaction.atomic():
                key = Open311Key.objects.create(
                    name=name,
                    prefix=_KEY_RE.match(raw).group(1),
                    key_hash=hash_key(raw),
                    created_by=user,
                )
                log(key, "wagtail.create", user=user)
            return key, raw
        except IntegrityError:
            if Open311Key.objects.filter(name=name).exists():
                raise KeyProblem(f"已有名为“{name}”的应用密钥") from None
    raise KeyProblem("生成密钥失败，请重试")  # five prefix clashes: practically never


def key_for(raw):
    """The active ``Open311Key`` for a presented key, or None (malformed, unknown or revoked)."""
    if not isinstance(raw, str) or len(raw) > 100:
        return None
    match = _KEY_RE.match(raw.strip())
    if not match:
        return None
    key = Open311Key.objects.filter(prefix=match.group(1)).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw.strip())):
        return None
    if key.revoked_at is not None:
        return None
    return key


def touch(key, now=None):
    """Record that ``key`` was used, at most once a minute, never failing the request."""
    now = now or timezone.now()
    if key.last_used_at and (now - key.last_used_at).total_seconds() < LAST_USED_INTERVAL:
        return
    try:
        with transaction.atomic():
            Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    except DatabaseError:
        pass


def revoke_key(key, user=None):
    """Revoke ``key`` (kept for the record of what it submitted). Returns False if already revoked."""
    if key.revoked_at is not None:
        return False
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        log(key, REVOKE_ACTION, user=_actor(user))
    return True


def find_key(name_or_prefix):
    """A key by its application name or its prefix (with or without ``o311_``), or None."""
    text = (name_or_prefix or "").strip()
    key = Open311Key.objects.filter(name=text).first()
    if key is None:
        prefix = text.removeprefix(KEY_PREFIX)[:PREFIX_LENGTH]
        if len(prefix) == PREFIX_LENGTH:
            key = Open311Key.objects.filter(prefix=prefix).first()
    return key
