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
assert analysis._traditional_chars.cache_info().currsize == 1
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
