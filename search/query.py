"""A parsed search query and its translation into each engine's query language.

The structure is deliberately small:

- a *unit* is one token, or a phrase of single characters that must be
  adjacent (an unknown word such as a name falls apart into characters);
- an *alternative* is a set of units that must all occur;
- a *term* is what the user meant by one word: its alternatives are the word
  itself, the dictionary words it is made of, and its synonyms;
- the query requires every term (``mode="and"``) or, when that finds nothing,
  any term (``mode="or"``).

Every token is reduced to letters, digits and CJK characters by the analyser
and is then quoted as a literal in the target syntax, so nothing a user types
can become an FTS5 or tsquery operator (``"``, ``*``, ``NEAR``, ``AND``, ``-``).
"""

from dataclasses import dataclass, field

from . import analysis


@dataclass(frozen=True)
class Alternative:
    text: str  # the normalised words as written (what Elasticsearch analyses itself)
    units: tuple  # tuple of tuples of tokens; a unit of several tokens is a phrase


@dataclass(frozen=True)
class Term:
    text: str
    alternatives: tuple
    synonyms: tuple = ()


@dataclass
class ParsedQuery:
    raw: str
    terms: list = field(default_factory=list)
    dropped: list = field(default_factory=list)  # generic words left out of the query
    truncated: bool = False

    @property
    def is_empty(self):
        return not self.terms

    @property
    def synonyms_used(self):
        """``{term: [synonyms]}`` for the terms that were expanded (shown to users)."""
        return {term.text: list(term.synonyms) for term in self.terms if term.synonyms}

    def highlight_words(self):
        """Strings to mark in displayed text, longest first."""
        words = set()
        for term in self.terms:
            for alternative in term.alternatives:
                for unit in alternative.units:
                    joined = "".join(unit)
                    if len(joined) >= 2 or not analysis.is_single_cjk(joined):
                        words.add(joined)
                if alternative.text:
                    words.add(alternative.text.replace(" ", ""))
        return sorted((w for w in words if w), key=lambda w: (-len(w), w))

    # --- SQLite FTS5 -------------------------------------------------------
    def fts5(self, columns=None, mode="and", prefix_last=False):
        """An FTS5 MATCH expression; ``columns`` limits the match to those columns.

        ``prefix_last`` also accepts words starting with the last word typed
        (autocomplete while typing).
        """
        joiner = " AND " if mode == "and" else " OR "
        terms = self._terms_with_prefix(prefix_last)
        expression = joiner.join(_fts5_term(term) for term in terms)
        if columns:
            return "{" + " ".join(columns) + "} : (" + expression + ")"
        return expression

    # --- PostgreSQL tsquery ------------------------------------------------
    def tsquery(self, weights="", mode="and", prefix_last=False):
        """Text for ``to_tsquery('simple', …)``; ``weights`` (e.g. "ABC") limits the columns."""
        joiner = " & " if mode == "and" else " | "
        terms = self._terms_with_prefix(prefix_last)
        return joiner.join(_ts_term(term, weights) for term in terms)

    def rank_tsquery(self):
        """Every word and synonym of the query OR-ed together: what PostgreSQL ranks by.

        ``ts_rank_cd`` over the nested matching query costs several times more per
        row than over a flat list of the same words, and ranks no better: which
        cases match at all is already decided by ``tsquery``. The dictionary parts
        of long words (only there to widen matching) are left out.
        """
        units = []
        for term in self.terms:
            for alternative in term.alternatives:
                if alternative.text:
                    units.extend(u for u in alternative.units if u not in units)
        return " | ".join(
            _ts_quote(u[0], "")
            if len(u) == 1
            else "(" + " <-> ".join(_ts_quote(t, "") for t in u) + ")"
            for u in units
        )

    def _terms_with_prefix(self, prefix_last):
        if not prefix_last or not self.terms:
            return self.terms
        last = self.terms[-1]
        base = last.alternatives[0]
        prefixed = Alternative(text="", units=base.units[:-1] + (base.units[-1] + (PREFIX_MARK,),))
        return [*self.terms[:-1], Term(last.text, (*last.alternatives, prefixed), last.synonyms)]


# Appended to a unit to mean "the last token may be a prefix" (never a real token:
# the analyser only produces letters, digits and CJK characters).
PREFIX_MARK = "*"


def _fts5_quote(token):
    return '"' + token.replace('"', '""') + '"'


def _fts5_unit(unit):
    if unit[-1] == PREFIX_MARK:
        return _fts5_quote(" ".join(unit[:-1])) + "*"
    return _fts5_quote(" ".join(unit))


def _fts5_term(term):
    alternatives = []
    for alternative in term.alternatives:
        units = [_fts5_unit(unit) for unit in alternative.units]
        alternatives.append(units[0] if len(units) == 1 else "(" + " AND ".join(units) + ")")
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _ts_quote(token, weights, prefix=False):
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    label = ("*" if prefix else "") + weights
    return f"'{escaped}'" + (f":{label}" if label else "")


def _ts_term(term, weights):
    alternatives = []
    for alternative in term.alternatives:
        units = []
        for unit in alternative.units:
            prefix = unit[-1] == PREFIX_MARK
            tokens = unit[:-1] if prefix else unit
            quoted = [
                _ts_quote(t, weights, prefix=prefix and i == len(tokens) - 1)
                for i, t in enumerate(tokens)
            ]
            units.append(quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")")
        alternatives.append(units[0] if len(units) == 1 else "(" + " & ".join(units) + ")")
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def _units(tokens):
    """Group runs of single CJK characters into phrases; other tokens stand alone."""
    units = []
    run = []
    for token in tokens:
        if analysis.is_single_cjk(token):
            run.append(token)
            continue
        if run:
            units.append(tuple(run))
            run = []
        units.append((token,))
    if run:
        units.append(tuple(run))
    return units


def _alternative_for(text):
    tokens = analysis.query_tokens(text)
    if not tokens:
        return None
    return Alternative(text=text, units=tuple(_units(tokens)))


def _split_chunk(chunk, synonym_table, max_synonym_tokens=6):
    """Words of one space-free chunk: jieba tokens, merged back where they spell a synonym."""
    tokens = analysis.query_tokens(chunk)
    words = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + max_synonym_tokens), i + 1, -1):
            joined = "".join(tokens[i:j])
            if joined in synonym_table:
                words.append((joined,))
                i = j
                break
        else:
            words.append((tokens[i],))
            i += 1
    # Runs of single characters (an unknown word) become one phrase word.
    merged = []
    for word in words:
        token = word[0]
        if (
            analysis.is_single_cjk(token)
            and token not in synonym_table
            and merged
            and all(analysis.is_single_cjk(t) for t in merged[-1])
            and merged[-1][0] not in synonym_table
        ):
            merged[-1] = merged[-1] + (token,)
        else:
            merged.append(word)
    return merged


def _term_for(word, synonym_table):
    text = "".join(word)
    if len(word) > 1:  # a phrase of single characters
        return Term(text=text, alternatives=(Alternative(text=text, units=(word,)),))
    alternatives = _alternatives_for(text)
    if not alternatives:
        return None
    synonyms = []
    for synonym in synonym_table.get(text, ()):
        if synonym == text:
            continue
        added = [a for a in _alternatives_for(synonym) if a not in alternatives]
        if added:
            alternatives.extend(added)
            synonyms.append(synonym)
    return Term(text=text, alternatives=tuple(alternatives), synonyms=tuple(synonyms))


def _alternatives_for(text):
    """The word itself and, for a long word, the dictionary words that make it up."""
    base = _alternative_for(text)
    if base is None:
        return []
    alternatives = [base]
    if len(base.units) == 1 and len(base.units[0]) == 1:
        parts = analysis.word_parts(base.units[0][0])
        if parts:
            alternatives.append(Alternative(text="", units=tuple((p,) for p in parts)))
    return alternatives


def parse_query(raw, synonym_table=None):
    """Parse what a user typed into a ``ParsedQuery`` (possibly empty).

    ``synonym_table`` maps a normalised word to the words of its synonym group
    (see ``search.synonyms``).
    """
    synonym_table = synonym_table or {}
    text, truncated = analysis.clip_query(raw)
    parsed = ParsedQuery(raw=text, truncated=truncated)
    seen = set()
    terms = []
    for chunk in analysis.normalize(text).split():
        for word in _split_chunk(chunk, synonym_table):
            key = "".join(word)
            if key in seen:
                continue
            seen.add(key)
            term = _term_for(word, synonym_table)
            if term is not None:
                terms.append(term)
    telling = [t for t in terms if t.text not in analysis.GENERIC_WORDS]
    if telling:
        parsed.dropped = [t.text for t in terms if t.text in analysis.GENERIC_WORDS]
        terms = telling
    parsed.terms = terms
    return parsed
