"""The question screens speak Chinese (the admin crawl's English finder on each screen)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.pages.disclosures import questions as rules
from portal.pages.models import DisclosureQuestion
from tests.admin import english

pytestmark = pytest.mark.django_db

GOOD = {"name": "张三", "phone": "13912345678", "body": "请问第三季度修路支出包括哪些项目？"}


def test_question_screens_are_chinese(client, make_disclosure, donghu_committee):
    page = make_disclosure()
    waiting = rules.ask(page, **GOOD)
    late = rules.ask(page, **{**GOOD, "body": "另一个逾期的问题是什么？"})
    DisclosureQuestion.objects.filter(pk=late.pk).update(
        asked_at=timezone.now() - datetime.timedelta(days=15)
    )
    answered = rules.ask(page, **{**GOOD, "body": "已经答复的问题是什么？"})
    rules.answer(answered, donghu_committee, "已答复。")
    client.force_login(donghu_committee)
    index = reverse("disclosure_questions_admin:index")
    urls = [index + f"?status={key}" for key in ("waiting", "overdue", "answered", "all")]
    urls += [
        reverse("disclosure_questions_admin:detail", args=[q.pk]) for q in (waiting, late, answered)
    ]
    urls.append(reverse("wagtailadmin_home"))
    data = ["jw_donghu", page.slug, "localhost"]  # data, not UI (the site's host name)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = english.english_on_page(html, data)
        assert not found, (url, found[:5])
    # An invalid answer shows Chinese errors.
    response = client.post(
        reverse("disclosure_questions_admin:detail", args=[waiting.pk]), {"answer": ""}
    )
    html = response.content.decode()
    assert "请填写答复内容" in html
    assert not english.english_on_page(html, data)
