"""rebuild_search_index and the demo loader."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from demo import search as demo
from search.backends.embedded import EmbeddedCaseBackend, get_dialect

from .helpers import indexed_ids


def test_rebuild_restores_a_damaged_index(cases):
    all_ids = {c.pk for c in vars(cases).values()}
    with connection.cursor() as cursor:
        get_dialect().clear(cursor)  # lose the whole index
        get_dialect().finish_rebuild(cursor)
    assert indexed_ids() == set()
    out = io.StringIO()
    call_command("rebuild_search_index", "--backend", "embedded", "--workers", "1", stdout=out)
    assert indexed_ids() == all_ids
    text = out.getvalue()
    # Not a terminal: plain progress lines, then a summary.
    assert "内置全文索引：9/9 件（100%）" in text
    assert "\r" not in text
    assert "已重建：9 件案件" in text


def test_rebuild_with_worker_processes(cases):
    count = EmbeddedCaseBackend().rebuild(workers=2)
    assert count == 9
    assert len(indexed_ids()) == 9


def test_elasticsearch_rebuild_needs_a_url(db, settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="未设置 ELASTICSEARCH_URL"):
        call_command("rebuild_search_index", "--backend", "elasticsearch", stdout=io.StringIO())


def test_elasticsearch_rebuild_reports_an_unreachable_cluster(db, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with pytest.raises(CommandError, match="Elasticsearch 不可用"):
        call_command("rebuild_search_index", "--backend", "elasticsearch", stdout=io.StringIO())


def test_demo_loader_is_idempotent(cases):
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert len(indexed_ids()) == 9
    assert "案件索引已重建（9 件）" in out.getvalue()
