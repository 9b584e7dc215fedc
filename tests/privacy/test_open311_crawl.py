"""The privacy crawler, with Open311 requests submitted through the write API.

On the demo site, a client application posts service requests with contact
data and a raw description; some of them staff then publish with a public
summary. An anonymous crawl of every public page, feed and API — plus the
requests' own Open311 URLs, their tokens and the place-name grid finder — must
show none of the names, phones, e-mails, raw descriptions or the api_key.
"""

import json

import pytest
from django.test import Client

from portal.api.open311 import keys
from portal.cases.models import Case, CaseCategory
from portal.snippets.models import Grid

from .test_public_crawl import KNOWN_ENDPOINTS, _readable, crawl

pytestmark = pytest.mark.django_db

REQUESTERS = [
    ("建华", "欧阳", "13698765432", "ouyang.jh@example.com", "欧阳建华家门口的下水道堵了三天"),
    ("秀英", "司马", "15011112222", "sima.xy@example.com", "司马秀英反映邻居在楼道私拉电线充电"),
    ("Li", "Wei", "13566667777", "li.wei@example.com", "李伟说小区东门路灯不亮已经一周"),
]


def test_open311_submissions_leak_nowhere(demo_data):
    grid = Grid.objects.filter(live=True).order_by("code").first()
    category = CaseCategory.objects.filter(is_dispute=False).order_by("code").first()
    _key, raw = keys.issue_key("隐私测试应用")
    client = Client()
    submitted = []
    for first, last, phone, email, text in REQUESTERS:
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": raw,
                "service_code": category.code,
                "description": text,
                "address_id": grid.code,
                "attribute[urgency]": "normal",
                "first_name": first,
                "last_name": last,
                "phone": phone,
                "email": email,
            },
        )
        assert response.status_code == 201, response.content.decode()
        submitted.append(json.loads(response.content)[0])
    # staff publish the first one with a summary written for the public
    Case.objects.filter(number=submitted[0]["service_request_id"]).update(
        is_public=True, public_summary="某小区下水道堵塞，已安排疏通。"
    )

    extra = []
    for item in submitted:
        number, token = item["service_request_id"], item["token"]
        extra += [
            f"/open311/v2/requests/{number}.json",
            f"/open311/v2/requests/{number}.xml",
            f"/open311/v2/tokens/{token}.json",
            f"/open311/v2/tokens/{token}.xml",
        ]
    extra += [f"/grids/?q={grid.name}", "/open311/v2/services/" + category.code + ".json"]
    KNOWN_ENDPOINTS.extend(extra)
    try:
        fetched = crawl(Client())
    finally:
        del KNOWN_ENDPOINTS[-len(extra) :]
    assert len(fetched) >= 30
    crawled = {url for url, _response in fetched}
    assert f"/open311/v2/tokens/{submitted[0]['token']}.json" in crawled

    needles = {raw: "api_key"}
    for first, last, phone, email, text in REQUESTERS:
        needles.update(
            {
                last + first: "姓名",
                f"{first} {last}": "姓名",
                phone: "电话",
                email: "邮箱",
                text: "原始描述",
            }
        )
    leaks = [
        f"{url}: {what}"
        for url, response in fetched
        for needle, what in needles.items()
        if needle in _readable(response)
    ]
    errors = [url for url, response in fetched if response.status_code >= 500]
    assert not errors, errors
    assert not leaks, "\n".join(sorted(set(leaks)))
