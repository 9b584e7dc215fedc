"""Traditional → simplified folding with the OpenCC library (no database needed)."""

import subprocess
import sys
from pathlib import Path

from search import analysis, highlight
from search.query import parse_query

ROOT = Path(__file__).resolve().parents[2]


def test_phrases_made_of_characters_both_scripts_share_are_converted():
    # Neither character of 答覆 / 瞭解 / 深沈 is traditional on its own; only the phrase is.
    assert analysis.normalize("答覆") == "答复"
    assert analysis.normalize("瞭解情況") == "了解情况"
    assert analysis.normalize("深沈") == "深沉"
    assert analysis.normalize("沈阳") == "沈阳"  # the place name is left alone


def test_a_traditional_query_finds_the_words_of_a_simplified_record():
    record = set(analysis.index_tokens("社区已书面答复，居民表示了解"))
    for query in ("答覆", "瞭解"):
        (term,) = parse_query(query).terms
        assert {u for a in term.alternatives for unit in a.units for u in unit} <= record


def test_simplified_characters_are_never_replaced_by_a_phrase():
    # OpenCC's t2s table maps the traditional word 打坏 (to mould adobe) to 打坯.
    assert analysis.normalize("门被打坏了") == "门被打坏了"
    assert analysis.normalize("電梯門被拉坏了") == "电梯门被拉坏了"
    assert "坏" in analysis.index_tokens("路灯一坏就是一个月")


def test_traditional_text_is_highlighted_for_a_simplified_query():
    html = highlight.highlight("請盡快答覆：門被打坏了", ["答复", "打坏"])
    assert html == "請盡快<mark>答覆</mark>：門被<mark>打坏</mark>了"


NO_NETWORK = """
import sys

def deny(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
        raise RuntimeError("network: " + event)

sys.addaudithook(deny)
from search import analysis
analysis.preload()
assert analysis.normalize("網格員") == "网格员"
print("ok")
"""


def test_loading_the_analysis_touches_no_network():
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
