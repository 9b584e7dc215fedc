"""The embedded index follows every case write, in the writer's transaction."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from portal.cases import services
from portal.cases.models import Case
from search import indexing
from search.backends.embedded import EmbeddedCaseBackend, get_dialect
from search.params import parse_case_search_params
from search.service import PUBLIC, audience_for, search_cases

from .conftest import make_case
from .helpers import indexed_ids


def found(q, audience=PUBLIC):
    page = search_cases(parse_case_search_params({"q": q}), audience)
    return [r["number"] for r in page.results]


def test_create_update_transition_delete_keep_the_index_in_step(tree, categories, superuser):
    case = make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障困人")
    assert found("电梯") == [case.number]
    assert indexed_ids() == {case.pk}

    services.update_case(case, superuser, title="水管爆裂", public_summary="水管爆裂已抢修。")
    assert found("电梯") == []  # the public columns no longer say it
    assert found("水管") == [case.number]
    staff = audience_for(superuser)
    assert found("电梯", staff) == [case.number]  # the report (staff only) still does
    services.update_case(case, superuser, description="地下室水管爆裂")
    assert found("电梯", staff) == []

    services.transition(case, "dispatch", superuser, handler_unit="物业公司")
    page = search_cases(parse_case_search_params({"q": "水管"}), PUBLIC)
    assert page.facets["status"][0]["value"] == "dispatched"

    services.delete_case(case, superuser)
    assert found("水管") == []
    assert indexed_ids() == set()


def test_a_rolled_back_write_leaves_no_index_entry(tree, categories):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障困人")
        assert len(indexed_ids()) == 1
        raise Boom
    assert indexed_ids() == set()
    assert found("电梯") == []


def test_bulk_changes_are_indexed_in_chunks(tree, categories):
    now = timezone.now()
    rows = [
        Case(
            number=f"AJ2024{i:06d}",
            title=f"第{i}号井盖缺失" if i % 2 else f"第{i}号路灯不亮",
            description="网格员巡查发现",
            category=categories.safety,
            source="grid_worker",
            grid=tree.grids.xiling,
            village=tree.xiling,
            reported_at=now,
            deadline=now,
            is_public=True,
            public_summary="巡查发现，已报修。",
        )
        for i in range(2500)
    ]
    Case.objects.bulk_create(rows, batch_size=500)
    ids = list(Case.objects.values_list("id", flat=True))
    indexing.cases_changed(ids)
    assert indexed_ids() == set(ids)
    page = search_cases(parse_case_search_params({"q": "井盖"}), PUBLIC)
    assert page.total == 1250

    # The import path for very large lists segments in worker processes: same result.
    with connection.cursor() as cursor:
        get_dialect().delete(cursor, ids)
    EmbeddedCaseBackend().index_cases(ids, workers=2)
    assert indexed_ids() == set(ids)
    assert search_cases(parse_case_search_params({"q": "路灯"}), PUBLIC).total == 1250

    # Ids of cases deleted behind the services' back are dropped on re-index.
    gone = ids[:10]
    Case.objects.filter(id__in=gone).delete()
    indexing.cases_changed(gone)
    assert indexed_ids() == set(ids[10:])
    indexing.cases_deleted(ids[10:20])
    assert indexed_ids() == set(ids[20:])


def test_a_case_hidden_behind_the_services_back_is_still_not_shown(cases):
    """The case table decides visibility, even if the index was not told."""
    Case.objects.filter(pk=cases.leak.pk).update(is_public=False)
    assert cases.leak.number not in found("楼上漏水")
