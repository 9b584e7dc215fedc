"""Text that XML 1.0 can carry: the one helper every XML writer of the portal uses.

XML 1.0 allows only #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF;
the others (NUL, vertical tab, form feed, lone surrogates, U+FFFE/U+FFFF) cannot
even be written as character references, so one of them in a case summary or an
echoed query parameter makes the whole document ill-formed for every reader.
They are removed (not escaped): there is no well-formed way to keep them.
"""

import re

_FORBIDDEN_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value):
    """``value`` as a string without the characters XML 1.0 forbids."""
    text = value if isinstance(value, str) else str(value)
    return _FORBIDDEN_RE.sub("", text)


def xml_safe_bytes(content, encoding="utf-8"):
    """A rendered XML document (bytes) with the forbidden characters removed."""
    text = content.decode(encoding, errors="replace")
    return xml_safe(text).encode(encoding)
