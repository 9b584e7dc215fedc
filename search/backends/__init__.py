"""Case-search backends and the chooser the rest of the portal uses.

``SEARCH_BACKEND = "embedded"`` (default): the database's own full-text index.
``SEARCH_BACKEND = "elasticsearch"`` with ``ELASTICSEARCH_URL`` set: the cluster,
falling back to the embedded index whenever the cluster cannot answer.
"""

from django.conf import settings

from .base import CaseSearchBackend
from .embedded import EmbeddedCaseBackend

BACKEND_NAMES = ("embedded", "elasticsearch")


def get_case_search_backend(name=None):
    name = name or settings.SEARCH_BACKEND
    if name not in BACKEND_NAMES:
        raise ValueError(f"SEARCH_BACKEND 只能是 embedded 或 elasticsearch，当前为 {name!r}")
    if name == "elasticsearch" and settings.ELASTICSEARCH_URL:
        from .elasticsearch import ElasticsearchCaseBackend, FallbackCaseBackend

        return FallbackCaseBackend(ElasticsearchCaseBackend(), EmbeddedCaseBackend())
    return EmbeddedCaseBackend()


__all__ = ["BACKEND_NAMES", "CaseSearchBackend", "EmbeddedCaseBackend", "get_case_search_backend"]
