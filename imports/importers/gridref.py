"""The grid column as people fill it: a code, a name, or the template's "name（code）".

The downloadable templates offer each grid as ``东湖社区第一网格（411523001001001）``
so that whoever fills the sheet sees which grid a code is; the code inside the
brackets is what the importer looks up (a name alone is ambiguous across
villages).
"""

import re

from .lookups import clean_grid_ref

# After NFKC (done by ``clean_grid_ref``) full-width brackets are ASCII ones.
_NAME_WITH_CODE_RE = re.compile(r"^(?P<name>.+)\((?P<code>\d{6,})\)$")


def grid_choice_label(name, code):
    """How a template's dropdown shows a grid."""
    return f"{name}（{code}）"


def clean_grid_cell(value):
    """A grid reference: the code when the cell holds "name（code）", else as written."""
    ref = clean_grid_ref(value)
    match = _NAME_WITH_CODE_RE.match(ref)
    if match:
        return match.group("code")
    return ref
