"""Open311 GeoReport v2 write: POST requests.json/.xml with an api_key (issue 12).

A client application posts a service request with its key and reads it back by
id and through its token; bad, revoked and missing keys, missing service_code,
missing or unknown locations and bad attributes get the spec's error list (code +
Chinese description) with a 4xx; contact data never appears in any GET.
"""

import json
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.api.models import Open311Key, Open311Submission
from portal.api.open311 import keys
from portal.api.open311.submit import open311_source
from portal.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

NAME = ("小明", "欧阳")  # first_name, last_name
PHONE = "13712345678"
EMAIL = "ouyang.xm@example.com"
SECRET_TEXT = "我家楼下垃圾堆放三天无人清运"


@pytest.fixture
def key(db):
    _key, raw = keys.issue_key("东湖社区微信小程序")
    return raw


@pytest.fixture
def covered(tree):
    tree.grids.donghu.coverage = "幸福小区1-6栋、建设路东段"
    tree.grids.donghu.save()
    tree.grids.xiling.coverage = "一组、二组、三组"
    tree.grids.xiling.save()
    return tree


def form(key, **extra):
    data = {
        "api_key": key,
        "service_code": "sanitation",
        "description": SECRET_TEXT,
        "address_id": "411523001001001",
        "attribute[urgency]": "urgent",
        "first_name": NAME[0],
        "last_name": NAME[1],
        "phone": PHONE,
        "email": EMAIL,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, fmt="json"):
    return client.post(f"/open311/v2/requests.{fmt}", data)


def error_of(response, status):
    assert response.status_code == status, response.content.decode()
    body = json.loads(response.content)
    assert isinstance(body, list) and body[0]["code"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body[0]["description"])  # Chinese
    return body[0]["description"]


def test_client_flow_post_then_read_back_by_id_and_token(client, categories, tree, key):
    response = post(client, form(key))
    assert response.status_code == 201, response.content.decode()
    [created] = json.loads(response.content)
    number, token = created["service_request_id"], created["token"]
    assert created["account_id"] is None and number in created["service_notice"]

    case = Case.objects.get(number=number)
    assert case.status == Case.Status.ACCEPTED
    assert case.source == open311_source()
    assert case.grid == tree.grids.donghu and case.village == tree.donghu
    assert case.category == categories.sanitation
    assert case.reporter_name == "欧阳小明" and case.reporter_phone == PHONE
    assert SECRET_TEXT in case.description and "紧急程度：紧急" in case.description
    assert case.reporter_email == EMAIL and EMAIL not in case.description
    assert "东湖社区微信小程序" in case.description
    assert not case.is_public
    assert CaseEvent.objects.filter(case=case, action=CaseEvent.Action.CREATE).count() == 1
    assert Open311Submission.objects.get(token=token).case == case

    # read back by id with the key (not public yet), and not without it
    detail = client.get(f"/open311/v2/requests/{number}.json", {"api_key": key})
    assert detail.status_code == 200
    [item] = json.loads(detail.content)
    assert item["service_request_id"] == number and item["status"] == "open"
    assert item["address_id"] == "411523001001001"
    assert detail["Cache-Control"] == "private, no-store"
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    listing = json.loads(
        client.get(
            "/open311/v2/requests.json", {"api_key": key, "service_request_id": number}
        ).content
    )
    assert [r["service_request_id"] for r in listing] == [number]

    # token → id
    resolved = client.get(f"/open311/v2/tokens/{token}.json")
    assert resolved.status_code == 200
    assert json.loads(resolved.content) == [{"service_request_id": number, "token": token}]
    assert client.get("/open311/v2/tokens/nope.json").status_code == 404

    # another application's key does not see it
    _other, other_raw = keys.issue_key("县级平台")
    other = client.get(f"/open311/v2/requests/{number}.json", {"api_key": other_raw})
    assert other.status_code == 404


def test_contact_data_and_raw_text_never_in_any_get(client, categories, tree, key):
    [created] = json.loads(post(client, form(key)).content)
    number = created["service_request_id"]
    Case.objects.filter(number=number).update(
        is_public=True, public_summary="某小区垃圾清运不及时。"
    )
    urls = [
        ("/open311/v2/requests.json", {}),
        ("/open311/v2/requests.xml", {}),
        ("/open311/v2/requests.json", {"api_key": key}),
        (f"/open311/v2/requests/{number}.json", {}),
        (f"/open311/v2/requests/{number}.xml", {"api_key": key}),
        (f"/open311/v2/tokens/{created['token']}.json", {}),
        (f"/open311/v2/tokens/{created['token']}.xml", {}),
        ("/api/cases/search/", {"q": "垃圾"}),
    ]
    for url, params in urls:
        response = client.get(url, params)
        assert response.status_code == 200, url
        body = response.content.decode()
        for private in (*NAME, "欧阳小明", PHONE, EMAIL, SECRET_TEXT, key):
            assert private not in body, (url, private)


def test_xml_variant(client, categories, tree, key):
    response = post(client, form(key), fmt="xml")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert Case.objects.filter(number=number).exists()
    assert root.findtext("request/token")
    bad = post(client, form("o311_wrong"), fmt="xml")
    assert bad.status_code == 403
    error = ElementTree.fromstring(bad.content)
    assert error.tag == "errors" and error.findtext("error/code") == "403"
    assert "api_key" in error.findtext("error/description")


@pytest.mark.parametrize(
    "raw",
    ["", "o311_wrong", "o311_" + "A" * 40, "wagtail_abc", "x" * 500, "o311_🙂" + "a" * 40],
)
def test_bad_or_missing_key_is_403(client, categories, tree, key, raw):
    data = form(key, api_key=raw or None)
    error_of(post(client, data), 403)
    assert not Case.objects.exists()


def test_a_key_with_a_right_prefix_but_wrong_secret_is_refused(client, categories, tree, key):
    forged = key[:13] + ("A" if key[13] != "A" else "B") + key[14:]
    error_of(post(client, form(forged)), 403)


def test_revoked_key_is_403(client, categories, tree, key):
    assert post(client, form(key)).status_code == 201
    keys.revoke_key(keys.key_for(key))
    assert "吊销" in error_of(post(client, form(key)), 403)
    assert Case.objects.count() == 1
    # nor may it read back its own non-public request
    number = Case.objects.get().number
    assert client.get(f"/open311/v2/requests/{number}.json", {"api_key": key}).status_code == 403


def test_keys_are_stored_hashed(key):
    stored = Open311Key.objects.get()
    assert key not in {stored.prefix, stored.key_hash}
    assert len(stored.key_hash) == 64 and stored.prefix in key


def test_missing_service_code(client, categories, tree, key):
    assert "service_code" in error_of(post(client, form(key, service_code=None)), 400)
    assert "service_code" in error_of(post(client, form(key, service_code="nothing")), 400)
    assert not Case.objects.exists()


def test_missing_description(client, categories, tree, key):
    assert "description" in error_of(post(client, form(key, description="  \u200b ")), 400)


def test_missing_location(client, categories, tree, key):
    message = error_of(post(client, form(key, address_id=None)), 400)
    assert "lat" in message and "address_string" in message and "address_id" in message
    assert not Case.objects.exists()


def test_unknown_grid_code(client, categories, tree, key):
    assert "address_id" in error_of(post(client, form(key, address_id="999999")), 400)


def test_lat_long_inside_a_grid_boundary(client, categories, tree, key):
    data = form(key, address_id=None, lat="32.01", long="114.01")
    response = post(client, data)
    assert response.status_code == 201, response.content.decode()
    case = Case.objects.get()
    assert case.grid == tree.grids.donghu and "32.01" in case.place


def test_lat_long_outside_every_grid_is_refused_unless_an_address_is_given(
    client, categories, covered, key
):
    data = form(key, address_id=None, lat="31.5", long="113.5")
    assert "不在任何网格" in error_of(post(client, data), 400)
    data["address_string"] = "西岭村三组"
    assert post(client, data).status_code == 201
    assert Case.objects.get().grid == covered.grids.xiling


@pytest.mark.parametrize(
    "lat,long",
    [("95", "114"), ("32", "190"), ("abc", "114"), ("NaN", "inf"), ("1e3", "1"), ("32", None)],
)
def test_bad_coordinates(client, categories, tree, key, lat, long):
    error_of(post(client, form(key, address_id=None, lat=lat, long=long)), 400)


def test_address_string_resolved_with_the_grid_coverage(client, categories, covered, key):
    data = form(key, address_id=None, address_string="幸福小区3栋2单元门口")
    assert post(client, data).status_code == 201
    case = Case.objects.get()
    assert case.grid == covered.grids.donghu and case.place == "幸福小区3栋2单元门口"
    assert "没有对应的网格" in error_of(
        post(client, form(key, address_id=None, address_string="火星基地")), 400
    )


def test_attributes_checked_against_the_service_definition(client, categories, tree, key):
    cases = [
        ({"attribute[urgency]": None}, "attribute[urgency]"),  # required
        ({"attribute[urgency]": "whenever"}, "attribute[urgency]"),
        ({"attribute[colour]": "red"}, "colour"),
    ]
    for extra, named in cases:
        assert named in error_of(post(client, form(key, **extra)), 400)
    dispute = form(key, service_code="dispute")
    assert "attribute[parties]" in error_of(post(client, dispute), 400)
    dispute["attribute[parties]"] = "-3"
    assert "attribute[parties]" in error_of(post(client, dispute), 400)
    dispute["attribute[parties]"] = "3"
    dispute["attribute[mediated_before][]"] = ["village", "police"]
    response = post(client, dispute)
    assert response.status_code == 201, response.content.decode()
    case = Case.objects.get()
    assert "涉及人数：3" in case.description
    assert "此前已尝试的调解：村（社区）调解、派出所调解" in case.description
    assert not Case.objects.exclude(pk=case.pk).exists()


def test_hostile_parameters(client, categories, tree, key):
    huge = "堆" * 4001
    assert "4000" in error_of(post(client, form(key, description=huge)), 400)
    assert error_of(post(client, form(key, phone="12345")), 400)
    assert error_of(post(client, form(key, email="not-an-email")), 400)
    assert error_of(post(client, form(key, first_name="名" * 30)), 400)
    assert not Case.objects.exists()
    # bidi overrides, zero-width and control characters are removed, NFC applied
    tricky = "\u202e楼道\u200b堆放\u0007杂物\ufeff e\u0301"
    response = post(client, form(key, description=tricky))
    assert response.status_code == 201, response.content.decode()
    description = Case.objects.get().description
    assert description.startswith("楼道堆放杂物 \u00e9")
    assert not any(ch in description for ch in "\u202e\u200b\u0007\ufeff")


def test_a_body_over_the_upload_limit_is_a_georeport_error(client, categories, tree, key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, form(key, description="堆" * 9000))
    assert response.status_code in (400, 413)
    assert json.loads(response.content)[0]["code"] == response.status_code


def test_get_with_a_bad_key_is_403_and_wrong_method_405(client, categories, tree, key):
    error_of(client.get("/open311/v2/requests.json", {"api_key": "o311_nope"}), 403)
    error_of(client.put("/open311/v2/requests.json"), 405)


def test_rate_limit_per_key(client, categories, tree, key, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open311_write": "2/m"}
    assert post(client, form(key)).status_code == 201
    assert post(client, form(key)).status_code == 201
    limited = post(client, form(key))
    assert "频繁" in error_of(limited, 429) and int(limited["Retry-After"]) > 0
    # another key is counted on its own
    _other, other_raw = keys.issue_key("县级平台")
    assert post(client, form(other_raw)).status_code == 201
    assert Case.objects.count() == 3


def test_management_command_create_list_revoke(capsys, db):
    call_command("open311_key", "create", "县级大数据平台")
    out = capsys.readouterr().out
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("o311_") and keys.key_for(raw).name == "县级大数据平台"
    call_command("open311_key", "list")
    listed = capsys.readouterr().out
    assert "县级大数据平台" in listed and "有效" in listed and raw not in listed
    call_command("open311_key", "revoke", "县级大数据平台")
    assert keys.key_for(raw) is None
    with pytest.raises(CommandError, match="已于"):
        call_command("open311_key", "revoke", raw[:13])
    with pytest.raises(CommandError, match="已有名为"):
        call_command("open311_key", "create", "县级大数据平台")
    with pytest.raises(CommandError, match="没有找到"):
        call_command("open311_key", "revoke", "不存在")
