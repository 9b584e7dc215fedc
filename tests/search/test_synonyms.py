"""Synonyms: edited in the admin, applied at query time without re-indexing."""

import pytest
from django.core.exceptions import ValidationError

from search import synonyms
from search.models import SynonymGroup
from search.params import parse_case_search_params
from search.service import PUBLIC, search_cases

from .conftest import make_case


def total(q):
    return search_cases(parse_case_search_params({"q": q}), PUBLIC).total


def test_a_new_group_applies_at_once_and_a_deleted_one_stops(tree, categories):
    make_case(tree.grids.donghu, categories.safety, "化粪池满溢", "化粪池满溢发臭")
    assert total("粪坑") == 0
    group = SynonymGroup(terms="化粪池，粪坑")
    group.full_clean()
    group.save()
    assert total("粪坑") == 1  # no re-index: the query expands
    group.delete()
    assert total("粪坑") == 0


def test_queryset_delete_also_drops_the_cached_table(tree, categories):
    make_case(tree.grids.donghu, categories.safety, "化粪池满溢", "化粪池满溢发臭")
    SynonymGroup.objects.create(terms="化粪池 = 粪坑")
    assert total("粪坑") == 1
    SynonymGroup.objects.filter(terms__contains="粪坑").delete()
    assert total("粪坑") == 0


def test_the_starter_set_is_loaded_and_idempotent(db):
    before = SynonymGroup.objects.count()
    synonyms.ensure_starter_synonyms()
    after = SynonymGroup.objects.count()
    assert after >= len(synonyms.starter_synonyms())
    assert synonyms.ensure_starter_synonyms() == 0
    assert SynonymGroup.objects.count() == after >= before
    table = synonyms.get_synonym_table()
    assert "拖欠工资" in table["欠薪"]
    assert "最低生活保障" in table["低保"]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("欠薪", "至少要有两个词"),
        ("欠薪 = ！！！", "不含可检索的文字"),
        ("欠薪 = " + "很" * 25, "太长"),
    ],
)
def test_bad_groups_are_refused_in_chinese(db, terms, message):
    with pytest.raises(ValidationError) as error:
        SynonymGroup(terms=terms).full_clean()
    assert message in str(error.value)


def test_groups_are_stored_in_one_spelling(db):
    group = SynonymGroup(terms="噪音、 噪声，扰民")
    group.full_clean()
    assert group.terms == "噪音 = 噪声 = 扰民"


def test_admin_can_list_and_add_synonyms(client, superuser, tree, categories):
    make_case(tree.grids.donghu, categories.safety, "化粪池满溢", "化粪池满溢发臭")
    client.force_login(superuser)
    listing = client.get("/admin/snippets/portal_search/synonymgroup/")
    assert listing.status_code == 200
    response = client.post(
        "/admin/snippets/portal_search/synonymgroup/add/",
        {"terms": "化粪池 = 粪坑", "note": "居民说法"},
    )
    assert response.status_code == 302
    assert total("粪坑") == 1
    bad = client.post("/admin/snippets/portal_search/synonymgroup/add/", {"terms": "粪坑"})
    assert bad.status_code == 200
    assert "至少要有两个词" in bad.content.decode()
