"""Contract tests of the Elasticsearch backend (no cluster needed).

No Elasticsearch server runs on CI. These tests pin what we send (mapping,
analyser settings, query and aggregation bodies), how we read a response
(a recorded response body), and the fallback when the cluster is unreachable —
a real failed TCP connection to http://127.0.0.1:9, not a mock. The live-cluster
tests are in test_elasticsearch_integration.py and run when ELASTICSEARCH_URL
is set.
"""

import logging

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from search.backends import get_case_search_backend
from search.backends.base import CaseFilters, CaseSearchRequest
from search.backends.elasticsearch import (
    ElasticsearchCaseBackend,
    FallbackCaseBackend,
    alias_name,
    build_index,
    build_search,
    new_index_name,
    parse_response,
    source_for_row,
)
from search.backends.embedded import EmbeddedCaseBackend
from search.query import parse_query
from search.synonyms import build_table

from .conftest import make_case

UNREACHABLE = "http://127.0.0.1:9"
PUBLIC_FIELDS = ["title^3", "summary^2", "meta"]


def multi_match(text, fields=PUBLIC_FIELDS):
    return {"multi_match": {"query": text, "fields": fields, "type": "phrase"}}


@pytest.fixture(autouse=True)
def _cluster_state_reset():
    FallbackCaseBackend.reset()
    yield
    FallbackCaseBackend.reset()


@pytest.mark.parametrize(
    ("setting", "index_analyzer", "search_analyzer"),
    [
        ("cjk", "cjk", "cjk"),
        ("smartcn", "smartcn", "smartcn"),
        ("ik_max_word", "ik_max_word", "ik_smart"),
    ],
)
def test_mapping_and_analyser_settings(settings, setting, index_analyzer, search_analyzer):
    body = build_index("portal-cases-v1", setting).to_dict()
    assert body["settings"] == {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "refresh_interval": "1s",
    }
    properties = body["mappings"]["properties"]
    for field in ("title", "summary", "meta", "body"):
        assert properties[field] == {
            "type": "text",
            "analyzer": index_analyzer,
            "search_analyzer": search_analyzer,
        }
    for field in ("number", "status", "source"):
        assert properties[field] == {"type": "keyword"}
    for field in ("category_id", "village_id", "grid_id", "year"):
        assert properties[field] == {"type": "integer"}
    assert properties["reported_at"] == {"type": "date"}
    assert properties["is_public"] == {"type": "boolean"}
    assert "reporter_name" not in properties and "reporter_phone" not in properties


def test_unknown_analyser_setting_is_refused():
    with pytest.raises(ValueError, match="ELASTICSEARCH_ANALYZER"):
        build_index("x", "english")


def test_versioned_index_names_sit_behind_the_alias(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "county"
    assert alias_name() == "county-cases"
    name = new_index_name()
    assert name.startswith("county-cases-v") and name[len("county-cases-v") :].isdigit()


def test_public_query_and_aggregation_bodies():
    parsed = parse_query("村民反映欠薪 楼上", build_table(["欠薪 = 拖欠工资"]))
    request = CaseSearchRequest(
        query=parsed,
        filters=CaseFilters(category_id=3, year=2024),
        public_only=True,
        offset=20,
        limit=10,
    )
    assert build_search(request).to_dict() == {
        "query": {
            "bool": {
                "filter": [
                    {"term": {"is_public": True}},
                    {"term": {"category_id": 3}},
                    {"term": {"year": 2024}},
                ],
                "must": [
                    {
                        "bool": {
                            "minimum_should_match": 1,
                            "should": [
                                multi_match("欠薪"),
                                multi_match("拖欠工资"),
                                {"bool": {"must": [multi_match("拖欠"), multi_match("工资")]}},
                            ],
                        }
                    },
                    {"bool": {"minimum_should_match": 1, "should": [multi_match("楼上")]}},
                ],
            }
        },
        "aggs": {
            "category": {"terms": {"field": "category_id", "size": 200}},
            "status": {"terms": {"field": "status", "size": 20}},
            "village": {"terms": {"field": "village_id", "size": 1000}},
            "source": {"terms": {"field": "source", "size": 20}},
            "year": {"terms": {"field": "year", "size": 50}},
        },
        "sort": ["_score", {"reported_at": "desc"}],
        "track_total_hits": True,
        "from": 20,
        "size": 10,
        "highlight": {
            "fields": {
                "title": {"number_of_fragments": 0},
                "summary": {"fragment_size": 120, "number_of_fragments": 1},
            },
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
        },
    }


def test_staff_query_searches_the_report_within_their_regions_any_word():
    staff_fields = [*PUBLIC_FIELDS, "body"]
    request = CaseSearchRequest(
        query=parse_query("漏水 鑫淼"),
        public_only=False,
        region_ids={7, 3},
        with_facets=False,
        mode="or",
    )
    body = build_search(request).to_dict()
    assert body["query"] == {
        "bool": {
            "filter": [{"terms": {"village_id": [3, 7]}}],
            "minimum_should_match": 1,
            "should": [
                {
                    "bool": {
                        "minimum_should_match": 1,
                        "should": [multi_match("漏水", staff_fields)],
                    }
                },
                {
                    "bool": {
                        "minimum_should_match": 1,
                        "should": [multi_match("鑫淼", staff_fields)],
                    }
                },
            ],
        }
    }
    assert "aggs" not in body
    assert set(body["highlight"]["fields"]) == {"title", "body"}


def test_empty_query_browses_newest_first():
    body = build_search(CaseSearchRequest(query=parse_query(""), limit=5)).to_dict()
    assert body["query"] == {"bool": {"filter": [{"term": {"is_public": True}}]}}
    assert body["sort"] == [{"reported_at": "desc"}]
    assert "highlight" not in body


# A response as returned by Elasticsearch 8.x for a public search (trimmed to two hits).
RECORDED_RESPONSE = {
    "took": 7,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 37, "relation": "eq"},
        "max_score": 12.84,
        "hits": [
            {
                "_index": "portal-cases-v20240501103000000000",
                "_id": "1042",
                "_score": 12.84,
                "_source": {"number": "AJ2024001042", "title": "楼上卫生间漏水"},
                "highlight": {
                    "title": ["楼上卫生间<mark>漏水</mark>"],
                    "summary": ["居民反映楼上卫生间<mark>漏水</mark>影响楼下住户"],
                },
                "sort": [12.84, 1714530600000],
            },
            {
                "_index": "portal-cases-v20240501103000000000",
                "_id": "877",
                "_score": 7.1,
                "_source": {"number": "AJ2024000877", "title": "地下室渗水"},
                "sort": [7.1, 1712000000000],
            },
        ],
    },
    "aggregations": {
        "category": {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": 4, "doc_count": 30}, {"key": 9, "doc_count": 7}],
        },
        "status": {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": "closed", "doc_count": 25}, {"key": "handling", "doc_count": 12}],
        },
        "village": {"buckets": [{"key": 12, "doc_count": 37}]},
        "source": {"buckets": [{"key": "hotline_12345", "doc_count": 37}]},
        "year": {"buckets": [{"key": 2024, "doc_count": 20}, {"key": 2023, "doc_count": 17}]},
    },
}


def test_response_parsing():
    outcome = parse_response(RECORDED_RESPONSE)
    assert outcome.total == 37
    assert [hit.case_id for hit in outcome.hits] == [1042, 877]
    assert outcome.hits[0].score == pytest.approx(12.84)
    assert outcome.hits[0].highlight == {
        "title": "楼上卫生间<mark>漏水</mark>",
        "summary": "居民反映楼上卫生间<mark>漏水</mark>影响楼下住户",
    }
    assert outcome.hits[1].highlight == {}
    assert outcome.facets["category"] == [("4", 30), ("9", 7)]
    assert outcome.facets["status"] == [("closed", 25), ("handling", 12)]
    assert outcome.facets["year"] == [("2024", 20), ("2023", 17)]
    assert outcome.backend == "elasticsearch"


def test_staff_body_highlight_is_shown_as_the_summary():
    raw = {
        "hits": {
            "total": {"value": 1},
            "hits": [{"_id": "5", "_score": 1.0, "highlight": {"body": ["<mark>漏水</mark>"]}}],
        }
    }
    assert parse_response(raw, with_facets=False).hits[0].highlight == {
        "summary": "<mark>漏水</mark>"
    }


def test_documents_are_normalised_and_carry_no_reporter_fields(cases, settings):
    from portal.cases.models import Case
    from search.backends.elasticsearch import ES_ROW_FIELDS
    from search.backends.embedded import source_labels

    row = Case.objects.filter(pk=cases.traditional.pk).values_list(*ES_ROW_FIELDS).get()
    source = source_for_row(row, source_labels())
    assert source["title"] == "物业费催缴通知有误"
    assert source["number"] == cases.traditional.number
    assert "白沙村" in source["meta"] and "物业管理" in source["meta"]
    assert source["is_public"] is True
    assert isinstance(source["year"], int)
    leak = Case.objects.filter(pk=cases.leak.pk).values_list(*ES_ROW_FIELDS).get()
    assert "13800138000" not in repr(source_for_row(leak, source_labels()))


def test_an_unreachable_cluster_raises_a_connection_error(db):
    backend = ElasticsearchCaseBackend(url=UNREACHABLE)
    with pytest.raises(ESConnectionError):
        backend.search(CaseSearchRequest(query=parse_query("漏水")))


def test_search_falls_back_to_the_embedded_index_and_warns(cases, settings, caplog):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = UNREACHABLE
    backend = get_case_search_backend()
    assert isinstance(backend, FallbackCaseBackend)
    request = CaseSearchRequest(query=parse_query("楼上漏水"))
    with caplog.at_level(logging.WARNING, logger="search.backends.elasticsearch"):
        outcome = backend.search(request)
    assert outcome.fell_back and outcome.backend == "embedded"
    assert [hit.case_id for hit in outcome.hits] == [cases.leak.pk]
    assert "Elasticsearch 不可用" in caplog.text
    # The next search skips the dead cluster at once and still answers.
    caplog.clear()
    again = backend.search(request)
    assert again.fell_back and [h.case_id for h in again.hits] == [cases.leak.pk]
    assert caplog.text == ""


def test_the_api_answers_when_the_cluster_is_down(client, cases, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = UNREACHABLE
    response = client.get("/api/cases/search/", {"q": "物业费"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    page = client.get("/cases/search/", {"q": "物业费"})
    assert page.status_code == 200


def test_case_writes_succeed_when_the_cluster_is_down(
    tree, categories, settings, caplog, django_capture_on_commit_callbacks
):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = UNREACHABLE
    with caplog.at_level(logging.WARNING, logger="search.indexing"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            case = make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
    assert callbacks  # the cluster update was queued after the commit …
    assert "Elasticsearch 索引更新失败" in caplog.text  # … failed, and was logged
    # The next write does not wait for the dead cluster again.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="search.indexing"):
        with django_capture_on_commit_callbacks(execute=True):
            second = make_case(tree.grids.donghu, categories.property, "电梯异响", "电梯异响")
    assert "Elasticsearch 暂不可用，跳过索引更新" in caplog.text
    outcome = EmbeddedCaseBackend().search(CaseSearchRequest(query=parse_query("电梯")))
    # The embedded index has both.
    assert {hit.case_id for hit in outcome.hits} == {case.pk, second.pk}
