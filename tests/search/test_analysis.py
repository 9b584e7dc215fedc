"""Text analysis, query parsing and highlighting (no database needed)."""

import sqlite3
import threading

import pytest

from search import analysis, highlight
from search.query import parse_query
from search.synonyms import build_table

SYNONYMS = build_table(["欠薪 = 拖欠工资 = 工资拖欠", "低保 = 最低生活保障", "噪音 = 噪声 = 扰民"])


def test_normalize_folds_width_script_and_case():
    assert analysis.normalize("ＡＢＣ１２３") == "abc123"
    assert analysis.normalize("物業費 網格員") == "物业费 网格员"
    assert analysis.normalize("１２３４５熱線") == "12345热线"
    assert analysis.normalize("") == ""


def test_search_mode_indexes_long_words_and_their_parts():
    tokens = analysis.index_tokens("楼道电动车充电")
    assert {"楼道", "电动车", "电动", "充电"} <= set(tokens)
    tokens = analysis.index_tokens("关于规范物业费收取的通知")
    assert {"物业费", "物业", "收取", "通知"} <= set(tokens)
    assert "的" not in tokens  # function words are not indexed


def test_user_dictionary_keeps_governance_terms_whole():
    for term in ("网格员", "12345热线", "矛盾纠纷", "村务公开", "宅基地", "低保"):
        assert term in analysis.index_tokens(f"关于{term}的说明"), term
        assert term in analysis.query_tokens(term), term


def test_tokens_never_carry_punctuation():
    tokens = analysis.index_tokens('他说："漏水*了"！(NEAR) a-b; DROP TABLE')
    assert tokens
    for token in tokens:
        assert token.isalnum(), token


def test_tokenizer_is_built_once_even_under_concurrent_first_use(monkeypatch):
    monkeypatch.setattr(analysis, "_tokenizer", None)
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(id(analysis.get_tokenizer()))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6 and len(set(seen)) == 1


def test_generic_words_are_dropped_when_telling_words_remain():
    parsed = parse_query("村民反映楼上漏水")
    assert [t.text for t in parsed.terms] == ["楼上", "漏水"]
    assert set(parsed.dropped) == {"村民", "反映"}
    only_generic = parse_query("反映问题")
    assert [t.text for t in only_generic.terms] == ["反映", "问题"]


def test_synonyms_expand_a_term_and_long_synonyms_also_match_their_parts():
    parsed = parse_query("欠薪", SYNONYMS)
    (term,) = parsed.terms
    assert set(term.synonyms) == {"拖欠工资", "工资拖欠"}
    expression = parsed.fts5()
    assert '"欠薪"' in expression and '"拖欠工资"' in expression
    assert '("拖欠" AND "工资")' in expression


def test_synonym_spelled_over_several_tokens_is_recognised():
    parsed = parse_query("村民申请最低生活保障", SYNONYMS)
    assert any("低保" in term.synonyms for term in parsed.terms)


def test_unknown_word_becomes_a_phrase_of_characters():
    parsed = parse_query("鑫淼")
    assert parsed.fts5() == '"鑫 淼"'
    assert parsed.tsquery() == "('鑫' <-> '淼')"


def test_query_is_capped():
    parsed = parse_query("漏水" * 200)
    assert parsed.truncated and len(parsed.raw) == analysis.MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "raw",
    [
        '"',
        '"漏水',
        "漏水*",
        "NEAR(漏水 楼上)",
        "漏水 AND OR NOT 楼上",
        "-漏水",
        "'; DROP TABLE cases_case; --",
        "{title}: 漏水",
        "^漏水 + 楼上",
        "漏水 NEAR/2 楼上",
        "title:漏水",
        "\\'\\\"",
        "\x00漏水",
    ],
)
def test_fts_syntax_in_queries_is_neutralised(raw):
    """Run the generated expressions against a real FTS5 table: never a syntax error."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    db.execute("INSERT INTO t VALUES ('楼上 漏水', 'near and or not drop table')")
    parsed = parse_query(raw, SYNONYMS)
    if parsed.is_empty:
        return
    for mode in ("and", "or"):
        for columns in (None, ["title"]):
            db.execute("SELECT rowid FROM t WHERE t MATCH ?", [parsed.fts5(columns, mode)])
    for token in (
        u for t in parsed.terms for a in t.alternatives for unit in a.units for u in unit
    ):
        assert token.isalnum(), token


def test_highlight_escapes_html_and_marks_across_scripts():
    html = highlight.highlight("<b>物業費</b>通知", ["物业费"])
    assert html == "&lt;b&gt;<mark>物業費</mark>&lt;/b&gt;通知"


def test_highlight_prefers_longest_word_and_cuts_a_window():
    text = "前言" * 100 + "楼道电动车充电" + "后记" * 100
    html = highlight.highlight(text, ["电动车", "电动"], max_length=40)
    assert "<mark>电动车</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 42


def test_word_parts_only_when_they_cover_the_word():
    assert set(analysis.word_parts("拖欠工资")) == {"拖欠", "工资"}
    assert analysis.word_parts("12345热线") == []  # 12345 is not a dictionary word
    assert analysis.word_parts("漏水") == []


def test_rank_query_is_a_flat_list_of_the_words_and_synonyms():
    parsed = parse_query("欠薪 鑫淼", SYNONYMS)
    assert parsed.rank_tsquery() == "'欠薪' | '拖欠工资' | '工资拖欠' | ('鑫' <-> '淼')"


def test_tsvector_literal_keeps_positions_and_weights_per_column():
    from search.documents import tsvector_literal

    literal = tsvector_literal(["漏水 楼上", "漏水", "东湖社区"], ["A", "B", "C"])
    assert literal == "'漏水':1A,3B '楼上':2A '东湖社区':4C"
