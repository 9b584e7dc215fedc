"""The compliance page counts each village's overdue questions and lists the latest period first."""

import datetime
import re

import pytest
from django.utils import timezone

from portal.pages.disclosures import questions as rules
from portal.pages.models import DisclosureQuestion

pytestmark = pytest.mark.django_db

GOOD = {"name": "张三", "phone": "13912345678", "body": "请问第三季度修路支出包括哪些项目？"}


def village_section(html, name):
    start = html.index(f">{name}</h2>")
    end = html.find('<section class="compliance-village"', start)
    return html[start : end if end != -1 else None]


def test_overdue_questions_counted_per_village(client, settings, catalog, make_disclosure):
    settings.PAGE_CACHE_ENABLED = False
    page = make_disclosure()
    for n in range(2):
        q = rules.ask(page, **{**GOOD, "body": f"第{n}个问题：支出明细是什么？"})
        DisclosureQuestion.objects.filter(pk=q.pk).update(
            asked_at=timezone.now() - datetime.timedelta(days=11 + n)
        )
    rules.ask(page, **GOOD)  # not yet due
    html = client.get("/disclosures/compliance/").content.decode()
    assert re.search(r'data-label="逾期未答复询问">2</td>', html)
    assert "逾期未答复 2 条" in village_section(html, "东湖社区")
    assert "没有逾期未答复的询问" in village_section(html, "西岭村")
    assert "张三" not in html and "13912345678" not in html


def test_latest_period_first(client, settings, catalog, tree):
    settings.PAGE_CACHE_ENABLED = False
    html = client.get("/disclosures/compliance/").content.decode()
    section = village_section(html, "东湖社区")
    row = section[section.index("财务收支") :]
    row = row[: row.index("</tr>")]
    labels = re.findall(r'<span class="cell-period">([^<]+)', row)
    assert len(labels) >= 2
    keys = [tuple(int(n) for n in re.findall(r"\d+", label)) for label in labels]
    assert keys == sorted(keys, reverse=True)
