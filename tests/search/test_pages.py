"""The public case search page /cases/search/ and its bad-input behaviour."""

import pytest

from portal.cases.models import Case

URL = "/cases/search/"


def test_results_facets_and_highlights(client, cases):
    response = client.get(URL, {"q": "物业费"})
    assert response.status_code == 200
    page = response.content.decode()
    # Titles are shown with the matched words marked, in either script.
    assert "<mark>物业费</mark>收取标准不透明" in page
    assert "<mark>物業費</mark>催繳通知有誤" in page
    assert "?q=%E7%89%A9%E4%B8%9A%E8%B4%B9&amp;category=property" in page  # a facet link
    assert "物业管理" in page and "东湖社区" in page


def test_the_page_is_public_only_even_for_staff(client, cases, staff_user):
    client.force_login(staff_user)
    page = client.get(URL, {"q": "漏水"}).content.decode()
    assert cases.leak.number in page
    assert cases.private.number not in page
    assert cases.leak.description not in page and "王秀英" not in page


def test_no_results_page_helps(client, cases):
    page = client.get(URL, {"q": "飞碟降落"}).content.decode()
    assert "没有找到相关的公开案件" in page
    assert "试试更少、更短的词" in page
    assert "?category=property" in page  # browse by category


def test_synonyms_tried_are_shown(client, cases):
    page = client.get(URL, {"q": "欠薪"}).content.decode()
    assert "同时查找了同义词" in page and "拖欠工资" in page
    assert cases.wages.number in page


@pytest.mark.parametrize(
    "q",
    [
        "",
        "！！！？？",
        '"',
        "*",
        "NEAR(漏水 楼上)",
        "漏水 AND OR NOT",
        "-漏水",
        "'; DROP TABLE cases_case; --",
        "漏水" * 300,
        "<script>alert(1)</script>",
    ],
)
def test_hostile_or_odd_queries_render_a_normal_page(client, cases, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert Case.objects.count() == 9


def test_punctuation_only_query_says_so(client, cases):
    page = client.get(URL, {"q": "！！！"}).content.decode()
    assert "没有可查询的文字" in page


def test_long_query_is_capped_with_a_notice(client, cases):
    page = client.get(URL, {"q": "漏水" * 300}).content.decode()
    assert "只按前 100 个字查询" in page


def test_unknown_filter_values_give_a_400_page_with_a_chinese_message(client, cases):
    response = client.get(URL, {"q": "漏水", "category": "<b>nope</b>", "year": "abcd"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "查询条件有误" in page
    assert "事件类别“&lt;b&gt;nope&lt;/b&gt;”不存在" in page
    assert "年份“abcd”无效" in page
