"""Integration tests against a live Elasticsearch cluster.

Run only when ELASTICSEARCH_URL is set, e.g.
``ELASTICSEARCH_URL=http://127.0.0.1:9200 pytest -m elasticsearch tests/search``.
They use their own index prefix and delete what they create.
"""

import os
import uuid

import pytest

from search.backends.base import CaseFilters, CaseSearchRequest
from search.backends.elasticsearch import ElasticsearchCaseBackend, alias_name
from search.params import parse_case_search_params
from search.query import parse_query
from search.service import PUBLIC, search_cases
from search.synonyms import get_synonym_table

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="未设置 ELASTICSEARCH_URL：没有可用的 Elasticsearch 集群，跳过集成测试",
    ),
]


@pytest.fixture
def es(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:8]}"
    settings.ELASTICSEARCH_ANALYZER = os.environ.get("ELASTICSEARCH_ANALYZER", "cjk")
    backend = ElasticsearchCaseBackend()
    yield backend
    backend.client.indices.delete(index=f"{alias_name()}-v*", ignore_unavailable=True)


def ids(outcome):
    return [hit.case_id for hit in outcome.hits]


def test_rebuild_search_facets_and_highlight(es, cases):
    assert es.rebuild() == 9
    query = parse_query("村民反映楼上漏水", get_synonym_table())
    outcome = es.search(CaseSearchRequest(query=query))
    assert ids(outcome)[0] == cases.leak.pk
    assert cases.private.pk not in ids(outcome)
    assert "<mark>" in outcome.hits[0].highlight.get("title", "")
    fee = es.search(CaseSearchRequest(query=parse_query("物業費", get_synonym_table())))
    assert set(ids(fee)) == {cases.fee.pk, cases.traditional.pk}
    assert dict(fee.facets["category"]) == {str(cases.fee.category_id): 2}
    filtered = es.search(
        CaseSearchRequest(
            query=parse_query("物业费"),
            filters=CaseFilters(village_id=cases.traditional.village_id),
        )
    )
    assert ids(filtered) == [cases.traditional.pk]


def test_a_rebuild_swaps_the_alias_and_drops_the_old_index(es, cases):
    es.rebuild()
    first = set(es.client.indices.get_alias(name=alias_name()).body)
    es.rebuild()
    second = set(es.client.indices.get_alias(name=alias_name()).body)
    assert len(first) == len(second) == 1 and first != second
    assert not es.client.indices.exists(index=first.pop())


def test_incremental_updates_and_the_service(es, cases, settings):
    es.rebuild()
    settings.SEARCH_BACKEND = "elasticsearch"
    es.delete_cases([cases.leak.pk])
    es.client.indices.refresh(index=alias_name())
    page = search_cases(parse_case_search_params({"q": "漏水"}), PUBLIC)
    assert not page.fell_back
    assert cases.leak.number not in [r["number"] for r in page.results]
    es.index_cases([cases.leak.pk])
    es.client.indices.refresh(index=alias_name())
    page = search_cases(parse_case_search_params({"q": "漏水"}), PUBLIC)
    assert cases.leak.number in [r["number"] for r in page.results]
