"""The privacy crawler, with villagers' questions: askers' names and phones never go public.

Loads the demo, asks questions through the public form as an anonymous visitor
(distinctive names and phones), answers some (one reworded by the committee),
then crawls every public page, feed and API the main crawler reaches — the
disclosure pages with answers and the feeds first — and fails on any asker's
name or phone, or the raw text of a question the committee reworded.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from portal.pages.disclosures import questions as rules
from portal.pages.models import DisclosureIndexPage, DisclosurePage, DisclosureQuestion

from . import test_public_crawl as crawler

ASKERS = [
    ("覃鹂蔓", "13700001111"),
    ("邝翊珩", "13700002222"),
    ("闵蔻霓", "0376-6661234"),
]
REWORDED_RAW = "隔壁家的事情能不能说说"


@pytest.fixture
def asked(demo_data):
    pages = list(DisclosurePage.objects.live().order_by("path")[:3])
    assert len(pages) == 3
    client = Client()
    for n, ((name, phone), page) in enumerate(zip(ASKERS, pages, strict=True)):
        body = f"请问第{n + 1}项支出的明细和经手人是谁？" if n else REWORDED_RAW + "，支出明细呢？"
        response = client.post(
            reverse("disclosure_question_ask", args=[page.pk]),
            {"name": name, "phone": phone, "body": body},
            REMOTE_ADDR=f"10.9.0.{n}",
        )
        assert response.status_code == 200, response.content.decode()[:500]
    root = get_user_model().objects.create_superuser("crawl-root", password="x")
    first, second, _ = DisclosureQuestion.objects.order_by("pk")
    rules.answer(first, root, "明细已张贴在村务公开栏。", public_body="关于支出明细的询问")
    rules.answer(second, root, "经手人为村会计，票据可到村委会查阅。")
    return pages


def test_askers_never_reach_a_public_page_feed_or_api(asked, monkeypatch):
    first_urls = [page.url for page in asked]
    first_urls += ["/feeds/notices/", "/feeds/notices/atom/", "/feeds/policies/"]
    for board in DisclosureIndexPage.objects.filter(region__level="village").select_related(
        "region"
    ):
        first_urls += [f"/feeds/disclosures/{board.region.code}/", board.url]
    for page in asked:
        first_urls.append(f"/api/v2/pages/{page.pk}/")
    monkeypatch.setattr(crawler, "KNOWN_ENDPOINTS", first_urls + crawler.KNOWN_ENDPOINTS)

    needles = {}
    for name, phone in ASKERS:
        needles[name] = f"询问人姓名 {name}"
        needles[crawler._digits(phone)] = f"询问人电话 {phone}"
    needles[REWORDED_RAW] = "经改写的询问原文"

    fetched = crawler.crawl(Client())
    urls = {url for url, _ in fetched}
    assert set(first_urls) <= urls | {u for u in first_urls if "?" in u}
    texts = {url: crawler._readable(response) for url, response in fetched}
    # The answers are public, anonymised.
    assert "明细已张贴在村务公开栏。" in texts[asked[0].url]
    assert "覃**" in texts[asked[0].url]
    assert "经手人为村会计" in texts[asked[1].url]
    leaks = [
        f"{url}: {what}"
        for url, text in texts.items()
        for needle, what in needles.items()
        if needle in text
    ]
    errors = [url for url, response in fetched if response.status_code >= 500]
    assert not errors, f"公开地址出现服务器错误：{errors}"
    assert not leaks, "公开页面、订阅或接口泄露了询问人信息：\n" + "\n".join(sorted(leaks)[:50])
