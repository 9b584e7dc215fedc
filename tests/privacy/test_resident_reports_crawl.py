"""The privacy crawler, with residents' reports: submit reports through the public form,
let staff take them through the loop and publish some, then crawl the public surface.

None of the reporters' names, phones, emails, raw descriptions (unless written as
the public summary), query codes or photos' EXIF may appear on any public page,
feed or API; a public case's page shows only its public photos, re-encoded.
"""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from portal.cases import services
from portal.cases.models import Case, CasePhoto

from ..cases.helpers import walk
from ..cases.resident import jpeg_with_gps, number_and_code, submit
from .test_public_crawl import KNOWN_ENDPOINTS, _readable, crawl

pytestmark = pytest.mark.django_db

RESIDENTS = [
    (
        "欧阳翠花",
        "13698765431",
        "cuihua@example.cn",
        "隔壁邻居欧阳家每天深夜装修噪音扰民严重影响休息",
    ),
    ("司马长风", "13698765432", "", "菜市场北侧下水道堵塞污水漫到路面司马记得已经一周"),
    ("诸葛秀兰", "13698765433", "xl@example.cn", "三号楼电梯频繁故障困住老人诸葛反映多次无人处理"),
]


@pytest.fixture
def reports(tree, categories, users):
    """Three reports through the form; two closed and made public by staff with a summary."""
    made = []
    for index, (name, phone, email, text) in enumerate(RESIDENTS):
        client = Client(REMOTE_ADDR=f"10.7.0.{index}")
        response = submit(
            client,
            tree.grids.donghu,
            categories.sanitation,
            name=name,
            phone=phone,
            email=email,
            description=text,
            photos=[jpeg_with_gps(f"p{index}.jpg", color=(index * 60, 90, 30))],
        )
        assert response.status_code == 200, response.content.decode()[:2000]
        number, code = number_and_code(response)
        made.append((Case.objects.get(number=number), code))
    for case, _code in made[:2]:
        walk(case, users.donghu2, "dispatch", "handle", "close")
        services.update_case(
            case, users.donghu, is_public=True, public_summary="某小区反映的问题已协调解决。"
        )
    # staff mark the first case's photo public; the second's stays private
    CasePhoto.objects.filter(case=made[0][0]).update(is_public=True)
    return made


def test_public_case_page_shows_summary_timeline_and_public_photos_only(reports, client):
    (first, _), (second, _), (private, _) = reports
    response = client.get(f"/cases/{first.number}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "某小区反映的问题已协调解决。" in text and "已办结" in text
    assert "已分拨至承办单位" in text
    photo = first.photos.get()
    assert f"/cases/photos/{photo.pk}/" in text
    second_photo = second.photos.get()
    assert (
        f"/cases/photos/{second_photo.pk}/"
        not in client.get(f"/cases/{second.number}/").content.decode()
    )
    assert client.get(f"/cases/photos/{second_photo.pk}/").status_code == 404
    assert client.get(f"/cases/{private.number}/").status_code == 404
    assert client.get("/cases/AJ2099000001/").status_code == 404
    # the public photo is the re-encoded JPEG: no EXIF at all
    served = b"".join(client.get(f"/cases/photos/{photo.pk}/").streaming_content)
    assert b"PhoneMaker" not in served and "张三".encode() not in served
    with Image.open(io.BytesIO(served)) as image:
        assert not image.getexif()


def test_case_search_links_to_the_case_page_in_words_and_chinese_dates(reports, client, settings):
    from search import indexing

    indexing.drain_outbox()
    response = client.get("/cases/search/")
    text = response.content.decode()
    first = reports[0][0]
    assert f'href="/cases/{first.number}/"' in text
    assert "已办结" in text
    assert re.search(
        r'<time class="nowrap" datetime="\d{4}-\d{2}-\d{2}">\d{4}年\d{1,2}月\d{1,2}日</time>', text
    )
    assert not re.search(r"· \d{4}-\d{2}-\d{2}</p>", text)


def test_no_resident_data_on_the_public_surface(reports):
    needles = {}
    for case, code in reports:
        needles[case.reporter_name] = f"{case.number} 反映人姓名"
        needles[case.reporter_phone] = f"{case.number} 反映人电话"
        if case.reporter_email:
            needles[case.reporter_email] = f"{case.number} 反映人邮箱"
        needles[case.description[:12]] = f"{case.number} 原始描述"
        needles[code] = f"{case.number} 查询码"
        needles[code[:4] + " " + code[4:]] = f"{case.number} 查询码"
    needles["PhoneMaker"] = "照片 EXIF"
    needles["张三的手机"] = "照片 EXIF"
    from search import indexing

    indexing.drain_outbox()
    client = Client()
    extra = ["/cases/report/", "/cases/track/"] + [f"/cases/{case.number}/" for case, _ in reports]
    KNOWN_ENDPOINTS.extend(url for url in extra if url not in KNOWN_ENDPOINTS)
    try:
        fetched = crawl(client)
    finally:
        for url in extra:
            KNOWN_ENDPOINTS.remove(url)
    urls = {url for url, _ in fetched}
    assert {f"/cases/{reports[0][0].number}/", "/cases/report/"} <= urls
    photos = [url for url in urls if url.startswith("/cases/photos/")]
    leaks = []
    for url, response in fetched:
        assert response.status_code < 500, url
        text = _readable(response)
        leaks += [f"{url}: {what}" for needle, what in needles.items() if needle in text]
    # the public photo is not text: fetch it and look inside the bytes
    for url in [f"/cases/photos/{p.pk}/" for p in CasePhoto.objects.all()] + photos:
        response = client.get(url)
        if response.status_code == 200:
            raw = b"".join(response.streaming_content)
            leaks += [
                f"{url}: EXIF" for needle in (b"PhoneMaker", "张三".encode()) if needle in raw
            ]
    assert not leaks, "公开页面泄露了群众反映的信息：\n" + "\n".join(sorted(set(leaks)))
