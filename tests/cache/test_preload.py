"""Workers load the segmenter when they start (gunicorn.conf.py post_fork)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import runpy, types
import search.analysis as analysis
assert analysis._tokenizer is None, "loaded before the worker started"
conf = runpy.run_path("gunicorn.conf.py")
log = types.SimpleNamespace(info=lambda *args: None)
conf["post_fork"](types.SimpleNamespace(log=log), types.SimpleNamespace(pid=1))
assert analysis._tokenizer is not None
assert analysis._t2s.cache_info().currsize == 1
assert analysis.query_tokens("楼道电动车充电")
print("ok", conf["workers"] >= 1)
"""


def test_post_fork_loads_the_segmenter_in_a_fresh_process():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok True"


def test_tests_and_development_do_not_preload(settings):
    assert not getattr(settings, "SEARCH_PRELOAD", False)


WARM_SCRIPT = """
import os, runpy, types
os.environ["DATABASE_URL"] = "sqlite:////nonexistent-dir/portal.sqlite3"
import django
django.setup()
import search.analysis as analysis
conf = runpy.run_path("gunicorn.conf.py")
log = types.SimpleNamespace(info=lambda *args: None)
conf["post_worker_init"](types.SimpleNamespace(log=log, pid=1))
assert analysis._tokenizer is not None
print("started")
"""


def test_post_worker_init_warm_up_never_stops_a_worker_without_a_database():
    result = subprocess.run(
        [sys.executable, "-c", WARM_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"
    assert "检索预热失败" in result.stderr


def test_warm_up_runs_a_search_so_the_synonym_table_is_loaded(db):
    from django.core.cache import cache

    from search import synonyms
    from search.models import SynonymGroup
    from search.warmup import warm_up

    SynonymGroup.objects.create(terms="蓝莓 = 越橘")
    cache.delete(synonyms.CACHE_KEY)
    warm_up()
    assert cache.get(synonyms.CACHE_KEY)["蓝莓"] == ("蓝莓", "越橘")


def test_warm_up_goes_through_the_json_api_without_a_warning(db, caplog):
    from search.warmup import _request_the_api, warm_up

    assert _request_the_api("楼道 漏水") == 200
    with caplog.at_level("WARNING", logger="search.warmup"):
        warm_up()
    assert "检索预热失败" not in caplog.text
