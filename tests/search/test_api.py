"""GET /api/cases/search/: shape, audience, ranking and parameter errors."""

import json

import pytest

URL = "/api/cases/search/"


def test_anonymous_get_public_cases_in_the_documented_shape(client, cases):
    response = client.get(URL, {"q": "村民反映楼上漏水"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"count", "results", "facets"}
    assert data["count"] == 1
    (result,) = data["results"]
    assert set(result) == {
        "number",
        "title",
        "summary",
        "category",
        "status",
        "grid",
        "village",
        "reported_at",
        "highlight",
    }
    assert result["number"] == cases.leak.number
    assert result["summary"] == cases.leak.public_summary
    assert result["category"] == "物业管理" and result["status"] == "受理"
    assert result["village"] == "东湖社区" and result["grid"] == "东湖一网格"
    assert "<mark>漏水</mark>" in result["highlight"]["title"]
    assert set(data["facets"]) == {"category", "status", "village", "source", "year"}
    body = response.content.decode()
    assert "王秀英" not in body and "13800138000" not in body


def test_results_are_ranked_best_first(client, cases):
    data = client.get(URL, {"q": "漏水 楼上 卫生间"}).json()
    assert data["results"][0]["number"] == cases.leak.number


def test_staff_get_their_scope_with_private_cases(client, cases, staff_user):
    client.force_login(staff_user)
    data = client.get(URL, {"q": "漏水"}).json()
    assert {r["number"] for r in data["results"]} == {cases.leak.number, cases.private.number}
    assert client.get(URL, {"q": "宅基地"}).json()["count"] == 0  # another town


def test_filters_and_paging(client, cases, tree):
    data = client.get(URL, {"q": "", "village": tree.xiling.pk, "page_size": 2}).json()
    assert data["count"] == 3 and len(data["results"]) == 2
    second = client.get(URL, {"village": tree.xiling.pk, "page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1
    first_numbers = {r["number"] for r in data["results"]}
    assert second["results"][0]["number"] not in first_numbers
    assert client.get(URL, {"category": "labour"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"category": "nope"}, "category", "事件类别“nope”不存在"),
        ({"status": "done"}, "status", "状态“done”无效"),
        ({"source": "wechat"}, "source", "事件来源“wechat”无效"),
        ({"grid": "123"}, "grid", "网格编码“123”不存在"),
        ({"village": "abc"}, "village", "村（社区）编号“abc”不存在"),
        ({"village": "999999"}, "village", "不存在"),
        ({"year": "20x4"}, "year", "年份“20x4”无效"),
        ({"year": "1800"}, "year", "年份“1800”无效"),
        ({"page": "0"}, "page", "页码“0”无效"),
        ({"page": "-1"}, "page", "页码“-1”无效"),
        ({"page_size": "1000"}, "page_size", "每页条数“1000”无效"),
        ({"page_size": "１０"}, "page_size", "每页条数"),
    ],
)
def test_bad_parameters_give_a_400_naming_the_problem(client, cases, params, field, fragment):
    response = client.get(URL, {"q": "漏水", **params})
    assert response.status_code == 400
    data = response.json()
    assert fragment in data["errors"][field]
    assert f"参数 {field}" in data["errors"][field]
    assert fragment in data["detail"]


def test_village_filter_of_another_region_level_is_rejected(client, cases, tree):
    response = client.get(URL, {"village": tree.town.pk})
    assert response.status_code == 400


def test_long_and_hostile_queries_are_answered_normally(client, cases):
    for q in ["漏水" * 300, '"漏水" OR *', "'; DROP TABLE cases_case; --", "！？…", "NEAR AND"]:
        response = client.get(URL, {"q": q})
        assert response.status_code == 200, q
        json.loads(response.content)
    assert client.get(URL, {"q": "漏水" * 300}).json()["count"] >= 1
