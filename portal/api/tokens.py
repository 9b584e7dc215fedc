"""Staff API tokens: Wagtail 8's own ``APIToken`` (hashed with HMAC-SHA-256 under
SECRET_KEY, shown once at creation, revocable, audit-logged), looked up here for
DRF so the portal's JSON endpoints accept the same tokens as Wagtail's API v3.

Users create and revoke their tokens in the admin (设置 → API tokens, registered
in ``wagtail_hooks``) or with ``python manage.py api_tokens``.
"""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import APIToken

# last_used_at is refreshed at most this often, so busy scripts do not write on
# every request (the same setting Wagtail's API v3 reads).
DEFAULT_LAST_USED_INTERVAL = 60

logger = logging.getLogger(__name__)


def may_use_api(user):
    """Tokens are for active staff who may use the Wagtail admin."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
    )


def user_for_token(raw):
    """The user a presented token belongs to, or None when it is malformed,
    unknown, revoked, or its user may no longer use the API."""
    if not raw or not APIToken.validate_token_format(raw):
        return None
    token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not may_use_api(token.user):
        return None
    touch_last_used(token)
    return token.user


def touch_last_used(token, now=None):
    """Record that ``token`` was used, at most once per interval, never failing the request.

    The UPDATE is conditional on the stored value being stale, so concurrent
    requests of one script write once, not once each. A locked or read-only
    database must not turn a read into a 500: the error is logged and the
    request goes on (inside a savepoint, so an enclosing transaction survives).
    """
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", DEFAULT_LAST_USED_INTERVAL)
    if interval is None:
        return False
    now = now or timezone.now()
    if token.last_used_at is not None and (now - token.last_used_at).total_seconds() < interval:
        return False
    stale = Q(last_used_at__isnull=True) | Q(
        last_used_at__lte=now - datetime.timedelta(seconds=interval)
    )
    try:
        with transaction.atomic():
            written = APIToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    except DatabaseError:
        logger.warning("Could not record the use of API token %s", token.pk, exc_info=True)
        return False
    if written:
        token.last_used_at = now
    return bool(written)
