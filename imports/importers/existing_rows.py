"""Classifying the rows of a register keyed by ID number against the stored rows they name.

The registers of people (volunteers, care objects) look up the stored rows of a
chunk by keyed hash, then decide for each row: new, out of scope (refused
without saying the person exists elsewhere, and logged), unchanged, or an
update listing the columns that differ. A blank cell keeps what is stored.
"""

from .base import NEW, UNAVAILABLE_ID_NUMBER, refuse_out_of_scope

_ABSENT = object()


def compare_plan(compared, text_fields=(), start=2):
    """``(position, field, column key, label, stored as text)`` for each ``(field, key, label)``
    of ``compared``, the stored values of a look-up row being at ``start`` onwards.
    A text field compares an empty cell value as ``""`` (what the column stores)."""
    return [
        (position, field_name, key, label, field_name in text_fields)
        for position, (field_name, key, label) in enumerate(compared, start=start)
    ]


def classify_rows(importer, rows, existing, scope, model, plan, *, also=None):
    """Set ``outcome`` (and ``pk``, ``changes``, ``before``) on each row of a chunk.

    ``existing``: keyed hash → a stored look-up row: the primary key first, the
    region id last, the compared values at the positions of ``plan``
    (``compare_plan``). ``also(row, changes, model_changes)``: the register's
    own comparisons after the plain columns (a volunteer's teams and skills).
    """
    id_header = importer.header("id_number")
    allows = scope.allows
    for row in rows:
        data = row.data
        values = existing.get(data["id_hash"])
        if values is None:
            row.outcome = NEW
            continue
        if not allows(values[-1]):
            refuse_out_of_scope(importer, row, id_header, UNAVAILABLE_ID_NUMBER, model, values[0])
            continue
        row.pk = values[0]
        changes, model_changes = [], {}
        get = data.get
        for position, field_name, key, label, text in plan:
            new_value = get(key, _ABSENT)
            if new_value is _ABSENT:
                continue  # a blank cell keeps what is stored
            if text and not new_value:
                new_value = ""
            if values[position] != new_value:
                changes.append(label)
                model_changes[field_name] = new_value
        if also is not None:
            also(row, changes, model_changes)
        row.settle(changes, model_changes)
