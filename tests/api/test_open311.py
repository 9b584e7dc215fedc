"""Open311 GeoReport v2: only public cases, only public fields, both formats."""

import json
from xml.etree import ElementTree

import pytest

from portal.cases.models import Case

from .conftest import HOME_PLACE, PRIVATE_DESCRIPTION, REPORTER_NAME, REPORTER_PHONE, at

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_discovery_lists_the_endpoint_and_both_formats(client):
    data = get_json(client, "/open311/v2/discovery.json")
    endpoint = data["endpoints"][0]
    assert endpoint["url"] == "http://localhost/open311/v2/"  # the Site's root URL
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = ElementTree.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "application/json",
        "text/xml",
    ]


def test_services_are_the_case_categories(client, categories):
    data = get_json(client, "/open311/v2/services.json")
    by_code = {s["service_code"]: s for s in data}
    assert set(by_code) == {"dispute", "sanitation"}
    assert by_code["dispute"] == {
        "service_code": "dispute",
        "service_name": "邻里纠纷",
        "description": "",
        "metadata": True,  # it asks attributes (see the service definition)
        "type": "realtime",
        "keywords": "邻里纠纷,矛盾纠纷",
        "group": "矛盾纠纷",
    }
    assert by_code["sanitation"]["group"] == "民生诉求"


def test_services_xml_uses_the_georeport_elements(client, categories):
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "services"
    services = root.findall("service")
    assert {s.findtext("service_code") for s in services} == {"dispute", "sanitation"}
    sanitation = next(s for s in services if s.findtext("service_code") == "sanitation")
    assert sanitation.findtext("service_name") == "环境卫生"
    assert sanitation.findtext("metadata") == "true"
    assert sanitation.findtext("type") == "realtime"


def test_service_definition_and_unknown_service(client, categories):
    definition = get_json(client, "/open311/v2/services/dispute.json")
    assert definition["service_code"] == "dispute"
    assert [a["code"] for a in definition["attributes"]] == [
        "urgency",
        "ongoing",
        "parties",
        "mediated_before",
    ]
    root = ElementTree.fromstring(client.get("/open311/v2/services/dispute.xml").content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "dispute"
    assert root.find("attributes/attribute/values/value/key").text == "normal"
    errors = get_json(client, "/open311/v2/services/nothing.json", status=404)
    assert errors[0]["code"] == 404
    assert "nothing" in errors[0]["description"]


def test_requests_serve_only_public_cases_with_public_fields(client, cases):
    data = get_json(client, "/open311/v2/requests.json")
    numbers = [r["service_request_id"] for r in data]
    # newest first; the private and the other town's non-public case are absent
    assert numbers == [
        cases.public_dispute.number,
        cases.public_closed.number,
        cases.public_open.number,
    ]
    first = data[-1]
    assert first["status"] == "open"
    assert first["status_notes"] == "处置"
    assert first["description"] == "东湖社区某楼道堆放杂物，已安排清理。"
    assert first["service_code"] == "sanitation"
    assert first["service_name"] == "环境卫生"
    assert first["agency_responsible"] == "青石街道城管中队"
    assert first["address"] == "东湖社区 东湖一网格"
    assert first["address_id"] == "411523001001001"
    assert first["requested_datetime"] == "2025-03-10T09:00:00+08:00"
    assert first["expected_datetime"] == "2025-03-17T09:00:00+08:00"
    assert first["updated_datetime"].endswith("+08:00")
    assert first["lat"] == pytest.approx(32.01) and first["long"] == pytest.approx(114.01)
    body = json.dumps(data, ensure_ascii=False)
    for secret in (REPORTER_NAME, REPORTER_PHONE, HOME_PLACE, PRIVATE_DESCRIPTION):
        assert secret not in body


def test_lifecycle_maps_to_open_and_closed(client, make_case):
    expected = {
        Case.Status.ACCEPTED: ("open", "受理"),
        Case.Status.DISPATCHED: ("open", "分拨"),
        Case.Status.HANDLING: ("open", "处置"),
        Case.Status.CLOSED: ("closed", "办结"),
        Case.Status.VISITED: ("closed", "回访"),
        Case.Status.RATED: ("closed", "评价"),
    }
    for status, (open311_status, note) in expected.items():
        case = make_case(status=status, is_public=True, public_summary="摘要")
        data = get_json(client, f"/open311/v2/requests/{case.number}.json")
        assert (data[0]["status"], data[0]["status_notes"]) == (open311_status, note)


def test_requests_xml_root_and_items(client, cases):
    response = client.get("/open311/v2/requests.xml?status=closed")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert {r.findtext("service_request_id") for r in requests} == {
        cases.public_closed.number,
        cases.public_dispute.number,
    }
    assert all(r.findtext("status") == "closed" for r in requests)
    assert REPORTER_NAME not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["public_open"]),
        ("status=closed", ["public_dispute", "public_closed"]),
        ("service_code=dispute", ["public_dispute"]),
        ("service_code=dispute,sanitation", ["public_dispute", "public_closed", "public_open"]),
        ("start_date=2025-04-01T00:00:00%2B08:00", ["public_dispute", "public_closed"]),
        ("end_date=2025-04-02", ["public_closed", "public_open"]),  # date: the whole day
        ("start_date=2025-04-02T01:00:00Z&end_date=2025-04-02T01:00:00Z", ["public_closed"]),
        ("start_date=2025-03-01&end_date=2025-03-31&status=open", ["public_open"]),
    ],
)
def test_request_filters(client, cases, query, expected):
    data = get_json(client, f"/open311/v2/requests.json?{query}")
    assert [r["service_request_id"] for r in data] == [
        getattr(cases, name).number for name in expected
    ]


def test_service_request_id_list_ignores_other_filters_and_hides_private(client, cases):
    ids = f"{cases.public_open.number},{cases.private.number},{cases.public_closed.number}"
    data = get_json(client, f"/open311/v2/requests.json?service_request_id={ids}&status=closed")
    assert sorted(r["service_request_id"] for r in data) == sorted(
        [cases.public_open.number, cases.public_closed.number]
    )


def test_paging_and_total_header(client, make_case):
    for day in range(1, 8):
        make_case(is_public=True, public_summary=f"摘要{day}", reported_at=at(2025, 5, day))
    response = client.get("/open311/v2/requests.json?page=2&page_size=3")
    data = json.loads(response.content)
    assert response["X-Total-Count"] == "7"
    assert [r["description"] for r in data] == ["摘要4", "摘要3", "摘要2"]
    assert get_json(client, "/open311/v2/requests.json?page=9&page_size=3") == []


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("status=pending", "status"),
        ("start_date=yesterday", "start_date"),
        ("end_date=2025-13-01", "end_date"),
        ("start_date=2025-05-01&end_date=2025-04-01", "start_date"),
        ("service_code=nope", "nope"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=101", "page_size"),
        ("service_request_id=" + ",".join(f"AJ{i}" for i in range(101)), "service_request_id"),
    ],
)
def test_bad_parameters_give_a_chinese_open311_error(client, cases, query, fragment):
    errors = get_json(client, f"/open311/v2/requests.json?{query}", status=400)
    assert errors[0]["code"] == 400
    assert fragment in errors[0]["description"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["description"])
    xml = client.get(f"/open311/v2/requests.xml?{query}")
    assert xml.status_code == 400
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"


def test_single_request_private_or_unknown_is_404(client, cases):
    for number in (cases.private.number, "AJ1999000001"):
        errors = get_json(client, f"/open311/v2/requests/{number}.json", status=404)
        assert errors == [{"code": 404, "description": f"未找到编号为“{number}”的公开事件"}]
    root = ElementTree.fromstring(
        client.get(f"/open311/v2/requests/{cases.private.number}.xml").content
    )
    assert root.tag == "errors"


def test_single_request_is_a_one_item_list(client, cases):
    data = get_json(client, f"/open311/v2/requests/{cases.public_closed.number}.json")
    assert len(data) == 1
    assert data[0]["address"] == "西岭村 西岭一网格"
    assert data[0]["lat"] is None  # grid without boundary


def test_unknown_open311_urls_and_posts_answer_in_open311_format(client, cases):
    errors = get_json(client, "/open311/v2/nothing.json", status=404)
    assert errors[0]["code"] == 404
    # posting needs an api_key (tests/api/test_open311_write.py); other methods are refused
    response = client.post("/open311/v2/requests.json", {"service_code": "dispute"})
    assert response.status_code == 403
    assert json.loads(response.content)[0]["code"] == 403
    response = client.post("/open311/v2/services.json", {"service_code": "dispute"})
    assert response.status_code == 405
    assert json.loads(response.content)[0]["code"] == 405
    assert Case.objects.count() == 5
