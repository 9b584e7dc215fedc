"""The database fallback for the rate-limit and login-lockout counters.

Used when no Redis is configured (see ``portal.security.counters``): one row per
counter, changed only by single-statement upserts, so concurrent gunicorn
workers never lose an increment.
"""

from django.db import models


class Counter(models.Model):
    key = models.CharField("键", max_length=255, primary_key=True)
    count = models.PositiveIntegerField("计数", default=0)
    # Unix time (seconds) the counter lapses at; a float so the store can use the
    # same clock as the limiter and compare it in plain SQL on every database.
    expires_at = models.FloatField("过期时间", db_index=True)

    class Meta:
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"

    def __str__(self):
        return f"{self.key}={self.count}"
