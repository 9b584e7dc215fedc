"""Lock an account for a while after repeated failed logins.

Kept in a cache (see ``RATE_LIMIT_CACHE``), keyed by the normalised user name,
so it needs no table and expires by itself. Settings ``LOGIN_LOCKOUT``:
``{"failures": 5, "window": 900, "lock": 900}`` — that many failures within
``window`` seconds lock the name for ``lock`` seconds. A successful login clears
the count. Per-address limits on the login form are the rate limiter's job.

Locking by user name means someone who knows a name can keep it locked; the
lock is short and the per-address rate limit slows that down, which is the
usual trade-off against password guessing.
"""

import math
import time

from django.conf import settings
from django.core.cache import caches

DEFAULT_LOCKOUT = {"failures": 5, "window": 900, "lock": 900}


def _config():
    return {**DEFAULT_LOCKOUT, **getattr(settings, "LOGIN_LOCKOUT", {})}


def _cache():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


def _name(username):
    return (username or "").strip().lower()


def locked_for(username):
    """Seconds until the account unlocks, or 0 when it is not locked."""
    until = _cache().get(f"lockout:lock:{_name(username)}")
    if not until:
        return 0
    remaining = math.ceil(until - time.time())
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
    cache = _cache()
    key = f"lockout:failures:{name}"
    cache.add(key, 0, timeout=config["window"])
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=config["window"])
        failures = 1
    if failures >= config["failures"]:
        cache.set(f"lockout:lock:{name}", time.time() + config["lock"], timeout=config["lock"])
        cache.delete(key)
        return True
    return False


def clear(username):
    name = _name(username)
    _cache().delete_many([f"lockout:failures:{name}", f"lockout:lock:{name}"])


def lockout_message(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，该账号已被临时锁定，请在 {minutes} 分钟后再试。"
