"""The case's fields are declared once (``portal.cases.fields``) and every list derives from it.

Each test walks the declaration and looks for each field where its flags say it
must be: a field added to the declaration that a hand-written list elsewhere
missed fails here, naming the field.
"""

import datetime

import pytest

from imports.importers.cases import COLUMNS, COMPARED, CaseImporter
from imports.resources import CaseResource
from portal.cases import fields as case_fields
from portal.cases import search_index, services
from portal.cases.admin_forms import CASE_FORM_FIELDS, complete_panels
from portal.cases.admin_search import SEARCH_FIELDS
from portal.cases.models import Case
from portal.cases.wagtail_hooks import CaseModelAdmin
from search import documents

DECLARED = case_fields.CASE_FIELDS


def test_every_case_field_a_caller_may_set_is_declared():
    settable = {
        f.name
        for f in Case._meta.concrete_fields
        if f.editable and not f.primary_key and not getattr(f, "auto_now", False)
    }
    assert settable - {f.name for f in DECLARED} == set()
    for f in DECLARED:
        Case._meta.get_field(f.name)  # raises for a name that is no field of Case
    assert case_fields.problems() == []


@pytest.mark.parametrize("field", DECLARED, ids=lambda f: f.name)
def test_the_services_take_what_the_declaration_says(field):
    assert (field.name in services.CREATE_FIELDS) is field.create
    assert (field.name in services.EDITABLE_FIELDS) is field.edit
    assert (field.name in services.LIFECYCLE_FIELDS) is field.lifecycle


def _admin_form_fields():
    handler = CaseModelAdmin.edit_handler.bind_to_model(Case)
    return set(handler.get_form_class().base_fields)


def test_the_admin_form_holds_exactly_the_editable_fields():
    editable = {f.name for f in DECLARED if f.edit}
    assert _admin_form_fields() == editable
    assert set(CASE_FORM_FIELDS) == editable


def test_update_case_accepts_every_field_of_the_form(make_case, users):
    case = make_case()
    services.update_case(
        case, users.donghu, **{name: getattr(case, name) for name in CASE_FORM_FIELDS}
    )


def test_the_case_page_and_the_search_box_follow_the_declaration():
    assert sorted(CaseModelAdmin.inspect_view_fields) == sorted(f.name for f in DECLARED if f.shown)
    assert list(SEARCH_FIELDS) == [f.name for f in DECLARED if f.admin_search]
    assert CaseModelAdmin.search_fields == SEARCH_FIELDS


def test_export_and_import_share_the_declared_columns_in_order():
    sheet = [f for f in DECLARED if f.label]
    assert CaseResource().get_export_headers() == [f.label for f in sheet]
    read = [(col.key, col.header) for col in COLUMNS if not col.ignored]
    assert read == [(f.name, f.label) for f in sheet if f.imported]
    assert CaseImporter.key_column == "number"
    compared = [label for _attname, label in COMPARED]
    assert compared == [f.label for f in sheet if f.imported and f.name != "number"]


def test_an_exported_case_is_written_under_the_declared_headers(make_case):
    case = make_case(place="东湖社区3号楼", reporter_name="张三", reporter_phone="13912345678")
    resource = CaseResource()
    row = dict(zip(resource.get_export_headers(), resource.export_resource(case), strict=True))
    assert row["发生地点"] == "东湖社区3号楼"
    assert row["反映人"] == "张三"
    assert row["事件类别"] == case.category.name
    assert row["所属网格"] == case.grid.code


def _token(path):
    return "xq" + "".join(ch for ch in path if ch.isalpha())


def _row_with_tokens():
    """An index row whose every text path holds its own token."""
    values = {path: _token(path) for paths in search_index.TEXT_PATHS.values() for path in paths}
    values.update(
        id=1,
        source="grid_worker",
        is_public=True,
        category_id=2,
        status="accepted",
        village_id=3,
        grid_id=4,
        reported_at=datetime.datetime(2025, 3, 1, 1, 30, tzinfo=datetime.UTC),
    )
    labels = {"grid_worker": _token("source")}
    return tuple(values[path] for path in search_index.CASE_ROW_FIELDS), labels


def _columns_holding(document, token):
    return {column for column, text in document.items() if token in text.split()}


@pytest.mark.parametrize(
    "column,name",
    [(column, name) for column, names in case_fields.INDEX.items() for name in names],
)
def test_every_indexed_field_reaches_its_column_in_both_indexes(column, name):
    row, labels = _row_with_tokens()
    token = _token(case_fields.by_name()[name].text)
    embedded = search_index.document_for_row(row, labels, "Asia/Shanghai")
    texts = dict(zip(documents.COLUMNS, embedded[1:5], strict=True))
    es = search_index.es_source_for_row(row, labels)
    target = "meta" if column == "labels" else column
    assert _columns_holding(texts, token) == {target}
    assert _columns_holding({c: es[c] for c in documents.COLUMNS}, token) == {target}


def test_nothing_private_is_matched_by_public_searches_or_loaded_for_a_result():
    row, labels = _row_with_tokens()
    texts = search_index.document_for_row(row, labels, "Asia/Shanghai")[1:5]
    public = " ".join(
        text
        for column, text in zip(documents.COLUMNS, texts, strict=True)
        if column in documents.PUBLIC_COLUMNS
    ).split()
    for f in DECLARED:
        if not f.public:
            assert _token(f.text) not in public, f.name
    personal = {f.name for f in DECLARED if f.personal}
    assert personal and not personal & set(search_index.RESULT_FIELDS)
    assert not personal & set(search_index.CASE_ROW_FIELDS)


def test_a_declaration_that_would_index_private_data_is_refused():
    declared = case_fields.CASE_FIELDS
    leaky = {**case_fields.INDEX, "meta": ("number", "reporter_name")}
    assert case_fields.problems(declared, leaky) == [
        "reporter_name: personal data may not be indexed"
    ]
    public_description = {**case_fields.INDEX, "title": ("title", "description")}
    assert case_fields.problems(declared, public_description) == [
        "description: not public but indexed in the public column 'title'"
    ]


def test_a_field_the_form_layout_leaves_out_is_still_on_the_form():
    from wagtail.admin.panels import FieldPanel

    panels = complete_panels([FieldPanel("title")], names=("title", "place"))
    assert [panel.field_name for panel in panels] == ["title", "place"]
    with pytest.raises(ValueError, match="status"):
        complete_panels([FieldPanel("status")], names=("title",))


def test_arrange_keeps_the_layout_and_adds_what_it_does_not_place():
    assert case_fields.arrange(("a", "b", "c"), ["c", "a"]) == ["c", "a", "b"]
    with pytest.raises(ValueError, match="d"):
        case_fields.arrange(("a",), ["a", "d"])


def test_the_services_refuse_fields_the_declaration_does_not_give_them(make_case, users):
    case = make_case()
    with pytest.raises(TypeError, match="reporter_email"):
        services.update_case(case, users.donghu, reporter_email="a@example.com")
    with pytest.raises(services.CaseRuleError):
        services.update_case(case, users.donghu, status=Case.Status.CLOSED)


def test_a_column_added_to_the_declaration_reaches_the_importer(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from imports.cleaning import clean_text
    from imports.importers import cases as case_importer

    added = case_fields.CaseField("reporter_email", "反映人邮箱", personal=True)
    monkeypatch.setattr(case_fields, "IMPORTED", (*case_fields.IMPORTED, added))
    with pytest.raises(ImproperlyConfigured, match="reporter_email"):
        case_importer._columns()  # a declared column the importer cannot read
    monkeypatch.setitem(case_importer.READING, "reporter_email", {"clean": clean_text})
    assert (case_importer._columns()[-1].key, case_importer._columns()[-1].header) == (
        "reporter_email",
        "反映人邮箱",
    )
