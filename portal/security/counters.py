"""Atomic counters shared by every worker: the store behind rate limits and lockouts.

Why not the Django cache: ``cache.incr`` is atomic on Redis and memcached but
is a read-modify-write on the local-memory, file and database caches, so
concurrent gunicorn workers lose increments (72 requests passed a 60/min limit
in a burst). And even Django's ``RedisCache.incr`` checks ``EXISTS`` before
``INCR``: a key that lapses in between comes back without an expiry and counts
for ever. So the counters have their own small store with one operation that
is atomic everywhere:

* ``RedisCounterStore`` (``RATE_LIMIT_STORE = "redis"``, the default when
  ``REDIS_URL`` is set): ``INCR`` and, for a new key, ``EXPIRE`` in one Lua
  script — Redis runs a script atomically.
* ``DatabaseCounterStore`` (``"database"``, the default otherwise): one
  ``INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1 … RETURNING
  count`` statement on ``portal_security.Counter`` (SQLite ≥ 3.35 and
  PostgreSQL). Lapsed rows are reset by the same statement and pruned when a
  new window opens.

Every method takes ``now`` (Unix seconds) so the limiter's clock is the one
that decides expiry.
"""

import hashlib
import math
import time
from functools import lru_cache

from django.conf import settings
from django.db import connection

from .models import Counter

MAX_KEY = 200


def _key(key):
    """Keys built from client input are bounded: long ones are hashed."""
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseCounterStore:
    name = "database"

    def _table(self):
        return connection.ops.quote_name(Counter._meta.db_table)

    def incr(self, key, ttl, now=None):
        """Add one to ``key`` (a new or lapsed counter starts at 1 for ``ttl`` s); return it."""
        now = time.time() if now is None else now
        table = self._table()
        q = connection.ops.quote_name
        count, expires = q("count"), q("expires_at")
        sql = (
            f"INSERT INTO {table} ({q('key')}, {count}, {expires}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({q('key')}) DO UPDATE SET "
            f"{count} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
            f"{expires} = CASE WHEN {table}.{expires} <= %s "
            f"THEN excluded.{expires} ELSE {table}.{expires} END "
            f"RETURNING {count}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [_key(key), now + ttl, now, now])
            value = cursor.fetchone()[0]
        if value == 1:
            # A counter (re)started: a good moment to drop the lapsed ones of
            # its kind (``ratelimit:``, ``lockout:``).
            kind = key.split(":", 1)[0] + ":"
            Counter.objects.filter(key__startswith=kind, expires_at__lte=now).delete()
        return value

    def set_until(self, key, until, now=None):
        Counter.objects.update_or_create(key=_key(key), defaults={"count": 1, "expires_at": until})

    def get_until(self, key, now=None):
        now = time.time() if now is None else now
        return (
            Counter.objects.filter(key=_key(key), expires_at__gt=now)
            .values_list("expires_at", flat=True)
            .first()
        )

    def delete(self, *keys):
        Counter.objects.filter(key__in=[_key(k) for k in keys]).delete()


_INCR_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return n
"""


@lru_cache(maxsize=4)
def _redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


class RedisCounterStore:
    name = "redis"

    def __init__(self, url=None, prefix=None):
        self.url = url or settings.RATE_LIMIT_REDIS_URL
        self.prefix = prefix or getattr(settings, "RATE_LIMIT_REDIS_PREFIX", "portal:counter:")
        self.client = _redis_client(self.url)
        self._incr = self.client.register_script(_INCR_SCRIPT)

    def _k(self, key):
        return self.prefix + _key(key)

    def incr(self, key, ttl, now=None):
        return int(self._incr(keys=[self._k(key)], args=[max(1, math.ceil(ttl))]))

    def set_until(self, key, until, now=None):
        now = time.time() if now is None else now
        seconds = math.ceil(until - now)
        if seconds > 0:
            self.client.set(self._k(key), repr(until), ex=seconds)

    def get_until(self, key, now=None):
        now = time.time() if now is None else now
        raw = self.client.get(self._k(key))
        if raw is None:
            return None
        until = float(raw)
        return until if until > now else None

    def delete(self, *keys):
        if keys:
            self.client.delete(*(self._k(k) for k in keys))


def get_counter_store():
    """The store ``RATE_LIMIT_STORE`` names: ``"redis"`` or ``"database"``."""
    name = getattr(settings, "RATE_LIMIT_STORE", "database")
    if name == "redis":
        return RedisCounterStore()
    if name == "database":
        return DatabaseCounterStore()
    raise ValueError(f"RATE_LIMIT_STORE 只能是 redis 或 database，当前为 {name!r}")
