"""Demo data for search: the starting synonyms and a fresh case index (idempotent)."""

from .backends.embedded import EmbeddedCaseBackend
from .synonyms import ensure_starter_synonyms


def load(stdout):
    created = ensure_starter_synonyms()
    count = EmbeddedCaseBackend().rebuild(workers=1)
    stdout.write(f"搜索：新增同义词 {created} 组，案件索引已重建（{count} 件）")
