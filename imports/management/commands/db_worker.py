"""python manage.py db_worker — django_tasks_db's worker, made to survive database hiccups.

The stock worker only tolerates a locked database while it claims a task; a
"database is locked" (SQLite under a long import), a dropped PostgreSQL
connection or a failover anywhere else in its loop — or while it records a
task's result — raises out of ``Worker.run`` and the process exits, silently
stopping every background import. This command is the same worker (same
options; ``imports`` comes before ``django_tasks_db`` in ``INSTALLED_APPS``, so
``manage.py db_worker`` runs this one) with two additions:

* a transient database error (``OperationalError``/``InterfaceError``) in the
  loop closes the connections, waits with exponential back-off
  (``--retry-delay`` doubling up to ``--max-retry-delay``) and resumes the loop;
  any other error still stops the worker, as before;
* at start, and after each recovery, import jobs whose worker died
  (``imports.jobs.recover_interrupted_jobs``: an expired lease) are recovered.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker as stock

from imports.jobs import recover_interrupted_jobs

logger = logging.getLogger("django_tasks_db")

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
DEFAULT_RETRY_DELAY = 1.0
DEFAULT_MAX_RETRY_DELAY = 60.0
# Errors further apart than this start the back-off again from its first step.
CALM_SECONDS = 300


class ResilientWorker(stock.Worker):
    def __init__(self, *, retry_delay, max_retry_delay, sleep=time.sleep, **kwargs):
        super().__init__(**kwargs)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.sleep = sleep
        self.failures = 0
        self.last_failure = 0.0

    def run(self):
        self.recover_jobs()
        while self.running:
            try:
                return super().run()
            except TRANSIENT_ERRORS as exc:
                if not self.running:
                    return None
                delay = self.next_delay()
                logger.warning(
                    "Database error in worker_id=%s (%s); retrying in %.1f s",
                    self.worker_id,
                    exc,
                    delay,
                )
                self.running_task = False
                connections.close_all()
                self.sleep(delay)
                self.recover_jobs()
        return None

    def next_delay(self):
        now = time.monotonic()
        if now - self.last_failure > CALM_SECONDS:
            self.failures = 0
        self.last_failure = now
        self.failures += 1
        return min(self.max_retry_delay, self.retry_delay * 2 ** (self.failures - 1))

    def recover_jobs(self):
        try:
            count = recover_interrupted_jobs()
        except TRANSIENT_ERRORS as exc:
            logger.warning("Could not look for interrupted import jobs (%s)", exc)
            connections.close_all()
            return
        if count:
            logger.warning("Recovered %d import job(s) whose worker had died", count)


class Command(stock.Command):
    help = "后台任务进程（数据库队列）：数据库暂时不可用时自动重试，不会退出"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--retry-delay",
            type=stock.valid_interval,
            default=DEFAULT_RETRY_DELAY,
            help="数据库出错后第一次重试前等待的秒数，之后逐次加倍（默认 %(default)s）",
        )
        parser.add_argument(
            "--max-retry-delay",
            type=stock.valid_interval,
            default=DEFAULT_MAX_RETRY_DELAY,
            help="重试等待的最长秒数（默认 %(default)s）",
        )

    def handle(self, *args, retry_delay, max_retry_delay, **options):
        # The stock ``handle`` builds ``stock.Worker``; let it build ours instead.
        original = stock.Worker

        def build(**kwargs):
            return ResilientWorker(
                retry_delay=retry_delay, max_retry_delay=max_retry_delay, **kwargs
            )

        stock.Worker = build
        try:
            return super().handle(*args, **options)
        finally:
            stock.Worker = original
