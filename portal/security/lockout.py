"""Lock an account for a while after repeated failed logins.

Kept in the atomic counter store the rate limits use (``RATE_LIMIT_STORE``:
Redis or the database, see ``portal.security.counters``), keyed by the
normalised user name; the counters expire by themselves. Concurrent failed
logins from several workers are all counted. Settings ``LOGIN_LOCKOUT``:
``{"failures": 5, "window": 900, "lock": 900}`` — that many failures within
``window`` seconds lock the name for ``lock`` seconds. A successful login clears
the count. Per-address limits on the login form are the rate limiter's job.

Locking by user name means someone who knows a name can keep it locked; the
lock is short and the per-address rate limit slows that down, which is the
usual trade-off against password guessing.

Why not django-axes, the standard: it would be a second set of login signals,
tables and settings for what is here forty lines on the store the rate limiter
already needs; axes' extras (per-IP/user-agent combinations, an admin for
attempts) are not asked for. Revisit if those are. When the store fails the
login is not locked (logged): locking everyone out during a Redis outage would
be worse, and the per-address limit still applies once the store is back.
"""

import logging
import math
import time

from django.conf import settings

from .counters import get_counter_store

logger = logging.getLogger(__name__)

DEFAULT_LOCKOUT = {"failures": 5, "window": 900, "lock": 900}


def _config():
    return {**DEFAULT_LOCKOUT, **getattr(settings, "LOGIN_LOCKOUT", {})}


def _name(username):
    return (username or "").strip().lower()


def locked_for(username):
    """Seconds until the account unlocks, or 0 when it is not locked."""
    now = time.time()
    try:
        until = get_counter_store().get_until(f"lockout:lock:{_name(username)}", now=now)
    except Exception:  # noqa: BLE001 - fail open, see the module docstring
        logger.exception("登录锁定计数不可用")
        return 0
    if not until:
        return 0
    remaining = math.ceil(until - now)
    return remaining if remaining > 0 else 0


def record_failure(username):
    """Count a failed login; lock the account when the limit is reached.

    Returns True when the account is (now) locked.
    """
    name = _name(username)
    if not name:
        return False
    if locked_for(name):
        return True
    config = _config()
    store = get_counter_store()
    key = f"lockout:failures:{name}"
    now = time.time()
    try:
        failures = store.incr(key, config["window"], now=now)
        if failures >= config["failures"]:
            store.set_until(f"lockout:lock:{name}", now + config["lock"], now=now)
            store.delete(key)
            return True
    except Exception:  # noqa: BLE001 - fail open, see the module docstring
        logger.exception("登录锁定计数不可用")
    return False


def clear(username):
    name = _name(username)
    try:
        get_counter_store().delete(f"lockout:failures:{name}", f"lockout:lock:{name}")
    except Exception:  # noqa: BLE001 - fail open, see the module docstring
        logger.exception("登录锁定计数不可用")


def lockout_message(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，该账号已被临时锁定，请在 {minutes} 分钟后再试。"
