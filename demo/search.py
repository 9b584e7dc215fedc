"""Demo data for search: the starting synonyms and fresh indexes (idempotent)."""

import io

from django.core.management import call_command

from search.backends.embedded import EmbeddedCaseBackend
from search.synonyms import ensure_starter_synonyms


def load(stdout):
    created = ensure_starter_synonyms()
    count = EmbeddedCaseBackend().rebuild(workers=1)
    # Wagtail indexes pages through background tasks; without a task worker
    # running, the demo pages would not be searchable yet. Index them now.
    call_command("update_index", stdout=io.StringIO())
    stdout.write(
        f"搜索：新增同义词 {created} 组，案件索引已重建（{count} 件），页面与文档索引已更新"
    )
