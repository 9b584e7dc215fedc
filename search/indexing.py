"""Entry points the case services call to keep the case index in step.

Every case write (create, update, status change, delete, import) calls one of
these inside its own transaction. The embedded index is always written, in that
same transaction, so it can never drift from the case table: it is the index
the portal answers from, and the one it falls back to when Elasticsearch is
down. When Elasticsearch is configured, the same ids are sent to it after the
transaction commits (a failure there is logged; ``rebuild_search_index``
repairs it).
"""

import logging

from django.conf import settings
from django.db import transaction

from .backends.embedded import EmbeddedCaseBackend

logger = logging.getLogger(__name__)


def _elasticsearch_enabled():
    return settings.SEARCH_BACKEND == "elasticsearch" and bool(settings.ELASTICSEARCH_URL)


def _after_commit(method, ids):
    def push():
        from .backends.elasticsearch import ElasticsearchCaseBackend, FallbackCaseBackend

        if FallbackCaseBackend.is_down():
            logger.warning(
                "Elasticsearch 暂不可用，跳过索引更新（%d 条案件），请稍后重建索引", len(ids)
            )
            return
        try:
            getattr(ElasticsearchCaseBackend(), method)(ids)
        except Exception:  # noqa: BLE001 - the cluster must never break a case write
            FallbackCaseBackend.mark_down()
            logger.warning("Elasticsearch 索引更新失败（%d 条案件），请稍后重建索引", len(ids))

    transaction.on_commit(push)


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
        _after_commit("index_cases", ids)


def cases_deleted(case_ids):
    """Remove these cases from the index inside the caller's transaction."""
    ids = list(case_ids)
    if not ids:
        return
    EmbeddedCaseBackend().delete_cases(ids)
    if _elasticsearch_enabled():
        _after_commit("delete_cases", ids)
