"""The background job that drains the Elasticsearch outbox (see ``search.indexing``).

Enqueued after every case write that touched the outbox. When the cluster
refuses, the task schedules itself again with a growing delay, on backends
that can defer a task (the database backend ``db_worker`` runs); the immediate
backend of the tests cannot, so there the rows simply wait for the next write
or ``manage.py replay_search_outbox``. At most one deferred retry is kept
waiting, so an outage does not pile up tasks.
"""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from . import indexing

logger = logging.getLogger(__name__)

RETRY_SECONDS = (30, 60, 120, 300, 600)


def _retry_pending():
    """Whether a deferred drain is already waiting (database backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a dependency
        return False
    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.drain_search_outbox",
        status="READY",
        run_after__gt=timezone.now(),
    ).exists()


@task()
def drain_search_outbox(attempt=0):
    outcome = indexing.drain_outbox()
    if outcome.left and outcome.error:
        backend = drain_search_outbox.get_backend()
        if backend.supports_defer and not _retry_pending():
            delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
            drain_search_outbox.using(run_after=run_after).enqueue(attempt + 1)
            logger.info("索引同步将在 %d 秒后重试（待同步 %d 条）", delay, outcome.left)
    return {"sent": outcome.sent, "left": outcome.left, "error": outcome.error}
