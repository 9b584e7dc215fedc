"""Mark the words a query matched in text we display.

Done in Python on the text actually shown (title, public summary), not on
index tokens: the text is HTML-escaped piece by piece and only our own
``<mark>`` tags are added, so the result is safe to render as HTML.

Matching compares normalised forms (simplified, half-width, case-folded), so
物業費 in a record is marked for a query 物业费 and vice versa.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import analysis

ELLIPSIS = "…"


def _normalised_with_positions(text):
    """Normalised text and, for each of its characters, the index in ``text``."""
    normalised = analysis.normalize(text)
    if len(normalised) == len(text):
        return normalised, range(len(text))
    # A character changed length (e.g. a ligature under NFKC): map char by char.
    chars = []
    positions = []
    for index, char in enumerate(text):
        piece = analysis.normalize(char) or char
        chars.append(piece)
        positions.extend([index] * len(piece))
    return "".join(chars), positions


def match_spans(text, words):
    """Non-overlapping ``(start, end)`` spans in ``text`` where any of ``words`` occurs."""
    if not text or not words:
        return []
    normalised, positions = _normalised_with_positions(text)
    taken = [False] * len(normalised)
    spans = []
    for word in sorted(set(words), key=len, reverse=True):  # longest first
        start = normalised.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                spans.append((positions[start], positions[end - 1] + 1))
            start = normalised.find(word, end)
    spans.sort()
    return spans


def highlight(text, words, max_length=None):
    """``text`` as safe HTML with the matched words in ``<mark>``.

    With ``max_length``, a window of about that many characters around the
    first match is shown (with ellipses) instead of the whole text.
    """
    text = text or ""
    spans = match_spans(text, words)
    start, end = 0, len(text)
    if max_length and len(text) > max_length:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - max_length // 4, len(text) - max_length))
        end = start + max_length
    pieces = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(escape(text[cursor:span_start]))
        pieces.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return mark_safe("".join(pieces))
