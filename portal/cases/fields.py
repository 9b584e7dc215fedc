"""The fields of a case, declared once, and what each part of the portal may do with them.

Every list of case fields the register needs is read from ``CASE_FIELDS``:

- ``services``: what ``create_case`` accepts (``CREATE``), what ``update_case``
  lets staff change (``EDITABLE``) and what it refuses because only the
  lifecycle changes it (``LIFECYCLE``);
- the admin: the create/edit form's fields (``EDITABLE``), the case page's fields
  (``SHOWN``), the list's search box (``ADMIN_SEARCH``);
- the spreadsheets: the export's columns and the importer's columns, in the
  same order under the same headers (``SHEET`` / ``IMPORTED``), so that an
  exported file imports back;
- the case index (``portal.cases.search_index``): which fields fill which text
  column (``INDEX``), read by both the embedded and the Elasticsearch documents.

A field's flags say what it *is* (``public``, ``personal``); the checks at the
bottom refuse a declaration that would put a reporter's name in the index or a
non-public field in a column the public may match, so a privacy slip fails at
start-up rather than in production. Presentation stays with its screen: the
admin's layouts only arrange these fields (``arrange``).

No Django imports: the index's rebuild workers (``spawn``) read this without
setting Django up.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseField:
    """One field of ``Case`` and the uses it is declared for."""

    name: str
    # The spreadsheet column (export header = importer's canonical header); "" if not in sheets.
    label: str = ""
    # Read by the importer from a sheet; False for a column only exported (computed on import).
    imported: bool = True
    # ``create_case`` accepts it; False for what the services derive (the village).
    create: bool = True
    # Staff may change it after registration (``update_case``, the admin form).
    edit: bool = False
    # Changed only by the lifecycle or the services: ``update_case`` refuses it with a message.
    lifecycle: bool = False
    # Fit for the public: only such fields may fill the index columns public searches match.
    public: bool = False
    # The reporter's contact data: never indexed, never part of a search result.
    personal: bool = False
    # The ``values_list`` path of its text when that is not the field itself (a
    # related object's name); read by the case index.
    text_path: str = ""
    # Matched as a substring by the admin list's search box (fragments of numbers, places).
    admin_search: bool = False
    # Shown on the staff case page.
    shown: bool = True

    @property
    def text(self):
        return self.text_path or self.name


F = CaseField

# In the spreadsheets' column order (the export's and the import template's).
CASE_FIELDS = (
    F("number", "案件编号", lifecycle=True, public=True, admin_search=True),
    F("title", "标题", edit=True, public=True, admin_search=True),
    F("description", "事件描述", edit=True),
    F("category", "事件类别", edit=True, public=True, text_path="category__name"),
    F("source", "事件来源", edit=True, public=True),
    F("grid", "所属网格", edit=True, public=True, text_path="grid__name"),
    F("place", "发生地点", edit=True, admin_search=True),
    F("reported_at", "上报时间", edit=True, public=True),
    F("status", "当前状态", lifecycle=True, public=True),
    F("closed_at", "办结时间", lifecycle=True, public=True),
    F("resolution", "处置结果", lifecycle=True),
    F("satisfaction", "满意度", lifecycle=True),
    F("is_public", "是否公开", edit=True),
    F("public_summary", "公开摘要", edit=True, public=True),
    F("reporter_name", "反映人", edit=True, personal=True),
    F("reporter_phone", "反映人电话", edit=True, personal=True),
    F("handler_unit", "处置单位", lifecycle=True),
    # Exported for reading; an import computes it from the category, as registration does.
    F("deadline", "办理期限", imported=False, lifecycle=True),
    # Not in the sheets.
    F("village", create=False, lifecycle=True, public=True, text_path="village__name"),
    F("tier", lifecycle=True),
    F("discoverer", lifecycle=True),
    F("handler", lifecycle=True),
    F("mediated", lifecycle=True),
    # The resident's own channel (portal.cases.reporting): given at registration, never edited.
    F("reporter_email", personal=True),
    F("submission_key", shown=False),
)  # fmt: skip


def names(**flags):
    """The names of the fields whose attributes equal ``flags``, in declaration order."""
    return tuple(f.name for f in CASE_FIELDS if all(getattr(f, k) == v for k, v in flags.items()))


def by_name():
    return {f.name: f for f in CASE_FIELDS}


# The case index's text columns and the fields that fill each, in order (the
# layout is ``search.documents``'s). ``labels`` is the ``meta`` column's share of
# names repeated across thousands of cases, analysed once each; ``body`` is
# matched for staff only, so it alone may hold what is not public.
INDEX = {
    "title": ("title",),
    "summary": ("public_summary",),
    "meta": ("number",),
    "labels": ("category", "village", "grid", "source"),
    "body": ("description", "place", "resolution"),
}
STAFF_INDEX_COLUMNS = ("body",)

CREATE = frozenset(names(create=True))
EDITABLE = frozenset(names(edit=True))
LIFECYCLE = frozenset(names(lifecycle=True))
SHOWN = names(shown=True)
ADMIN_SEARCH = names(admin_search=True)
SHEET = tuple(f for f in CASE_FIELDS if f.label)
IMPORTED = tuple(f for f in SHEET if f.imported)


def arrange(selected, layout):
    """``selected`` in the order of ``layout``; fields the layout does not place come last.

    A screen's layout decides where a field goes, never whether it is there: a
    field declared for the screen but missing from its layout is still shown (at
    the end), and a layout placing a field not declared for the screen is an error.
    """
    stray = [name for name in layout if name not in selected]
    if stray:
        raise ValueError(f"layout places fields not declared for it: {', '.join(stray)}")
    return [*layout, *(name for name in selected if name not in layout)]


def problems(case_fields=CASE_FIELDS, index=INDEX):
    """What is wrong with a declaration (English, for developers); empty when it is sound."""
    found = []
    declared = {}
    for f in case_fields:
        if f.name in declared:
            found.append(f"{f.name}: declared twice")
        declared[f.name] = f
        if f.edit and f.lifecycle:
            found.append(f"{f.name}: editable by staff and lifecycle-only at once")
        if f.personal and f.public:
            found.append(f"{f.name}: personal data cannot be public")
    for column, column_fields in index.items():
        for name in column_fields:
            f = declared.get(name)
            if f is None:
                found.append(f"{name}: indexed but not declared")
            elif f.personal:
                found.append(f"{name}: personal data may not be indexed")
            elif not f.public and column not in STAFF_INDEX_COLUMNS:
                found.append(f"{name}: not public but indexed in the public column {column!r}")
    return found


_problems = problems()
if _problems:  # pragma: no cover - a developer's mistake, caught at start-up
    raise ValueError("portal.cases.fields: " + "; ".join(_problems))
