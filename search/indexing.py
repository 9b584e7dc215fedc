"""Entry points the case services call to keep the case index in step.

Every case write (create, update, status change, delete, import) calls one of
these inside its own transaction. The embedded index is always written, in that
same transaction, so it can never drift from the case table: it is the index
the portal answers from, and the one it falls back to when Elasticsearch is
down.

When Elasticsearch is configured the sync is durable: the same transaction
writes one ``IndexOutbox`` row per changed case, and after the commit the
``drain_search_outbox`` task sends the pending rows to the cluster and deletes
the ones it took. While the cluster is down nothing is lost: the rows stay, the
task retries with a back-off (the database task backend can defer a task), and
``manage.py replay_search_outbox`` drains by hand. With the embedded backend
alone (the default) no outbox row is written at all — there is nothing to sync.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .backends.embedded import EmbeddedCaseBackend
from .models import IndexOutbox

logger = logging.getLogger(__name__)

DRAIN_BATCH = 1000


def _elasticsearch_enabled():
    return settings.SEARCH_BACKEND == "elasticsearch" and bool(settings.ELASTICSEARCH_URL)


def _record(ids):
    """Write the outbox rows in the caller's transaction; drain once it commits."""
    IndexOutbox.objects.bulk_create(
        [IndexOutbox(case_id=int(i)) for i in ids], batch_size=DRAIN_BATCH
    )

    def drain_soon():
        from .backends.elasticsearch import FallbackCaseBackend

        if FallbackCaseBackend.is_down():
            logger.warning(
                "Elasticsearch 暂不可用，跳过索引更新（%d 条案件），已留在待同步队列，稍后重试",
                len(ids),
            )
            return
        from .tasks import drain_search_outbox

        try:
            drain_search_outbox.enqueue()
        except Exception:  # noqa: BLE001 - the rows are kept; never break a case write
            logger.exception("无法排队索引同步任务，待同步队列将由下次同步处理")

    transaction.on_commit(drain_soon)


def cases_changed(case_ids):
    """Re-index these cases inside the caller's transaction (any iterable of ids).

    Large lists (imports) are processed in chunks of a thousand with one
    query per chunk for the rows and one multi-row write.
    """
    ids = list(case_ids)
    if not ids:
        return
    EmbeddedCaseBackend().index_cases(ids)
    if _elasticsearch_enabled():
        _record(ids)


def cases_deleted(case_ids):
    """Remove these cases from the index inside the caller's transaction."""
    ids = list(case_ids)
    if not ids:
        return
    EmbeddedCaseBackend().delete_cases(ids)
    if _elasticsearch_enabled():
        _record(ids)


@dataclass
class DrainOutcome:
    sent: int = 0  # outbox rows the cluster took (and that were deleted)
    left: int = 0  # rows still pending
    error: str = ""  # why the last batch failed, empty when none did


def drain_outbox(batch_size=DRAIN_BATCH, backend=None):
    """Send pending outbox rows to Elasticsearch, oldest first, a batch at a time.

    A batch's rows are deleted only after the cluster accepted the whole batch
    (``index_cases`` sends each case as stored now, and removes a case that no
    longer exists). On a failure the batch's rows are kept with their attempt
    count and error, the cluster is marked down for this process, and the drain
    stops: the caller retries later. Rows written while a drain runs stay for
    the next one. Two drains at once may send a case twice, which is harmless.
    """
    from .backends.elasticsearch import ElasticsearchCaseBackend, FallbackCaseBackend

    outcome = DrainOutcome()
    if not _elasticsearch_enabled() and backend is None:
        outcome.left = IndexOutbox.objects.count()
        return outcome
    backend = backend or ElasticsearchCaseBackend()
    last_id = 0
    while True:
        rows = list(
            IndexOutbox.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list("id", "case_id")[:batch_size]
        )
        if not rows:
            break
        row_ids = [row_id for row_id, _ in rows]
        try:
            backend.index_cases({case_id for _, case_id in rows})
        except Exception as error:  # noqa: BLE001 - any cluster failure keeps the rows
            FallbackCaseBackend.mark_down()
            outcome.error = f"{type(error).__name__}: {error}"[:500]
            IndexOutbox.objects.filter(id__in=row_ids).update(
                attempts=F("attempts") + 1, last_error=outcome.error
            )
            logger.warning(
                "Elasticsearch 索引更新失败（%d 条案件），已留在待同步队列，稍后重试：%s",
                len(rows),
                outcome.error,
            )
            break
        IndexOutbox.objects.filter(id__in=row_ids).delete()
        outcome.sent += len(rows)
        last_id = row_ids[-1]
    outcome.left = IndexOutbox.objects.count()
    return outcome
