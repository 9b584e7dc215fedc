"""Chinese text analysis shared by every index and every query.

Chinese has no spaces between words, so neither SQLite FTS5 nor PostgreSQL's
parser can find a word inside a run of characters. Everything we index and
every query therefore goes through the same three steps:

1. ``normalize``: full-width → half-width (NFKC), traditional → simplified
   (OpenCC's t2s, the C++ library: converting a text costs about what scanning
   it for a traditional character would, so every text is converted), case
   folding. OpenCC's tables decide the normalised form the index stores, so
   its version is pinned in constraints.txt and an upgrade is followed by
   ``rebuild_search_index``.
2. jieba segmentation with the governance user dictionary in
   ``search/data/userdict.txt``. The index side uses search mode
   (``cut_for_search``), which also emits the dictionary words inside a long
   word (电动车 → 电动, 动车, 电动车), so a query for a part finds the whole.
3. Tokens are reduced to runs of letters/digits/CJK characters, so a token never
   carries punctuation into an FTS expression.

HMM discovery of unknown words is switched off on both sides: it makes the
segmentation of a word depend on its neighbours, and a word segmented one way
in a record and another way in a query would never match. Unknown words fall
apart into single characters on both sides instead, and the query side turns a
run of single characters back into a phrase.

This module imports no Django models so that rebuild workers can use it in a
fresh process.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

USERDICT_PATH = Path(__file__).resolve().parent / "data" / "userdict.txt"

# Queries longer than this are cut (a resident's sentence fits; a pasted
# document does not need to be searched word by word).
MAX_QUERY_LENGTH = 100

# Function words: never indexed, never searched (they would match everything).
FUNCTION_WORDS = frozenset(
    "的 了 着 过 是 在 和 与 及 或 等 之 也 都 就 又 还 而 把 被 对 于 为 从 向 将 让 给 "
    "吗 呢 吧 啊 呀 哦 嗯 个 这 那 其 该 此 并 且".split()
)

# Words nearly every case contains. They stay in the index (so a query made
# only of them still finds something) but are dropped from a query when it
# has other, more telling words.
GENERIC_WORDS = frozenset(
    "反映 反应 村民 居民 群众 市民 住户 业主 问题 情况 事情 事项 有关 关于 相关 希望 要求 请求 "
    "请 帮忙 帮助 解决 处理 尽快 及时 一直 经常 总是 存在 发现 现在 目前 已经 最近 近期 "
    "我们 我 你 你们 他们 他 她 大家 这个 那个 一些 没有 不能 无法 导致 造成 进行 投诉 "
    "举报 来电 诉求 事件 本人 家里 一下 怎么 怎么办 如何 什么 为什么 可以 能否 是否 谢谢".split()
)

_WORD_RE = re.compile(r"[^\W_]+")
# The runs of text jieba segments (its own pattern: CJK, Latin letters, digits, +#&._%-).
_BLOCK_RE = jieba.re_han_default
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_tokenizer = None
_tokenizer_lock = threading.Lock()


def get_tokenizer():
    """The shared jieba tokenizer with the user dictionary, built once per process.

    A private ``jieba.Tokenizer`` (not the global one) so that nothing else in
    the process can change our dictionary. Initialisation takes about half a
    second, so it is lazy, and guarded so two threads never build it twice.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USERDICT_PATH))
                _tokenizer = tokenizer
    return _tokenizer


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional → simplified converter (its tables load in a few ms)."""
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def _is_simplified_form(char):
    """True for a character t2s leaves alone on its own that is the simplified
    form of a traditional one (坏 of 壞, 么 of 麼)."""
    t2s = _t2s()
    if t2s.convert(char) != char:
        return False
    traditional = _s2t().convert(char)
    return traditional != char and t2s.convert(traditional) == char


def _to_simplified(text):
    """``text`` through t2s, except that no simplified character is replaced.

    OpenCC's phrase table also holds traditional words written with a character
    that simplified script uses for another word: 打坏 (to mould adobe) → 打坯,
    which would turn a resident's 门被打坏了 into 门被打坯了 and hide it from a
    search for 坏. Our texts are mostly simplified, so such a character is kept.
    t2s maps character to character, so positions line up.
    """
    converted = _t2s().convert(text)
    if converted == text or len(converted) != len(text):
        return converted
    chars = None
    for index, (before, after) in enumerate(zip(text, converted, strict=True)):
        if before != after and _is_simplified_form(before):
            if chars is None:
                chars = list(converted)
            chars[index] = before
    return converted if chars is None else "".join(chars)


def normalize(text):
    """Half-width, simplified, case-folded text (the form both sides compare in)."""
    if not text:
        return ""
    return _to_simplified(unicodedata.normalize("NFKC", text)).casefold()


def _clean(tokens):
    for token in tokens:
        if token.isalnum():  # the common case: a plain word
            if token not in FUNCTION_WORDS:
                yield token
            continue
        for piece in _WORD_RE.findall(token):
            if piece not in FUNCTION_WORDS:
                yield piece


@lru_cache(maxsize=100_000)
def _block_tokens(block, search_mode):
    """Tokens of one run of word characters, cached.

    jieba segments each run between punctuation on its own, so caching per run
    gives the same tokens as segmenting the whole text. Reports repeat many
    clauses (place names, 希望尽快解决, 已转交有关部门), which then cost a
    dictionary lookup instead of a segmentation.
    """
    tokenizer = get_tokenizer()
    words = (
        tokenizer.cut_for_search(block, HMM=False)
        if search_mode
        else tokenizer.cut(block, HMM=False)
    )
    return tuple(_clean(words))


def _tokens(text, search_mode):
    tokens = []
    for index, piece in enumerate(_BLOCK_RE.split(text)):
        if not piece:
            continue
        if index % 2:  # a run jieba segments (the split pattern's captured group)
            tokens.extend(_block_tokens(piece, search_mode))
        else:  # punctuation, spaces, other scripts: keep any word characters as they are
            tokens.extend(_clean(_WORD_RE.findall(piece)))
    return tokens


def index_tokens(text):
    """Tokens to index for ``text`` (search mode: long words also yield their parts)."""
    text = normalize(text)
    if not text:
        return []
    return _tokens(text, search_mode=True)


def index_text(text):
    """``index_tokens`` joined by spaces: the form stored in FTS5 / tsvector columns."""
    return " ".join(index_tokens(text))


def query_tokens(text):
    """Precise-mode tokens of an already normalised query fragment."""
    return _tokens(text, search_mode=False)


def is_single_cjk(token):
    return len(token) == 1 and bool(_CJK_RE.match(token))


def word_parts(word):
    """Dictionary words inside ``word`` that together cover all of it, or ``[]``.

    The same 2- and 3-character words ``cut_for_search`` indexes. A query for
    拖欠工资 then also finds a record segmented as 工资/被/拖欠.
    """
    if len(word) <= 2:
        return []
    freq = get_tokenizer().FREQ
    parts = []
    covered = [False] * len(word)
    for size in (2, 3):
        if len(word) <= size:
            continue
        for start in range(len(word) - size + 1):
            gram = word[start : start + size]
            if freq.get(gram):
                if gram not in parts:
                    parts.append(gram)
                for i in range(start, start + size):
                    covered[i] = True
    return parts if all(covered) else []


def clip_query(raw):
    """The query as searched: stripped and capped. Returns ``(text, was_truncated)``."""
    text = (raw or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH], True
    return text, False


def preload():
    """Load everything a first search would otherwise load on demand.

    The jieba dictionary and the user dictionary (~0.5–1.5 s), OpenCC's
    converters, and one pass through both analysis paths, so the first search
    after a worker starts costs what the hundredth does. Called from gunicorn's ``post_fork`` (gunicorn.conf.py) and,
    with ``SEARCH_PRELOAD`` on, from the search app's ready hook; never in tests
    or development, where it would only slow startup.
    """
    get_tokenizer()
    _t2s()
    _s2t()
    query_tokens("网格员上报楼道电动车充电")
    index_tokens("網格員上報樓道電動車充電")
