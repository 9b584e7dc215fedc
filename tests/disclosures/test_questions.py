"""Villagers' questions about a disclosure: the 10-day clock, scope, the public form, the answer."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.groups import TOWN_ADMIN, VILLAGE_STAFF
from portal.pages.disclosures import questions as rules
from portal.pages.models import DisclosureQuestion

from .conftest import _user

SH = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def shanghai(y, m, d, hh=9, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SH)


def q_at(asked_at, answered_at=None):
    return DisclosureQuestion(asked_at=asked_at, answered_at=answered_at, asker_name="张三")


# --- the clock (no database) ----------------------------------------------------------------

CLOCK = [
    # asked at, today, due date, overdue?
    (shanghai(2026, 3, 1, 0, 0), datetime.date(2026, 3, 11), datetime.date(2026, 3, 11), False),
    (shanghai(2026, 3, 1, 23, 59), datetime.date(2026, 3, 11), datetime.date(2026, 3, 11), False),
    (shanghai(2026, 3, 1, 23, 59), datetime.date(2026, 3, 12), datetime.date(2026, 3, 11), True),
    (shanghai(2026, 3, 1, 0, 0), datetime.date(2026, 3, 1), datetime.date(2026, 3, 11), False),
    # 16:30 UTC on 28 Feb is 00:30 on 1 March in Shanghai: the Shanghai day counts.
    (
        datetime.datetime(2026, 2, 28, 16, 30, tzinfo=UTC),
        datetime.date(2026, 3, 11),
        datetime.date(2026, 3, 11),
        False,
    ),
    (
        datetime.datetime(2026, 2, 28, 15, 59, tzinfo=UTC),
        datetime.date(2026, 3, 11),
        datetime.date(2026, 3, 10),
        True,
    ),
    # Across a month and a year end.
    (shanghai(2026, 12, 25), datetime.date(2027, 1, 4), datetime.date(2027, 1, 4), False),
    (shanghai(2026, 12, 25), datetime.date(2027, 1, 5), datetime.date(2027, 1, 4), True),
]


@pytest.mark.parametrize(("asked_at", "today", "due", "overdue"), CLOCK)
def test_ten_day_clock_in_shanghai_days(asked_at, today, due, overdue):
    question = q_at(asked_at)
    assert rules.answer_due_date(asked_at) == due
    assert rules.is_overdue(question, today) is overdue
    assert rules.days_left(question, today) == (due - today).days


def test_answered_question_is_never_overdue_but_may_be_late():
    asked = shanghai(2026, 3, 1)
    on_time = q_at(asked, answered_at=shanghai(2026, 3, 11, 23, 0))
    late = q_at(asked, answered_at=shanghai(2026, 3, 12, 8, 0))
    assert not rules.is_overdue(late, datetime.date(2026, 4, 1))
    assert rules.status_label(on_time) == "已答复"
    assert rules.status_label(late) == "逾期答复"


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (datetime.date(2026, 3, 2), "待答复（剩 9 天）"),
        (datetime.date(2026, 3, 11), "今日到期"),
        (datetime.date(2026, 3, 14), "已逾期 3 天"),
    ],
)
def test_status_labels(today, label):
    assert rules.status_label(q_at(shanghai(2026, 3, 1)), today) == label


@pytest.mark.parametrize(
    ("name", "shown"), [("张三", "张**"), ("欧阳明月", "欧**"), ("", "村民"), ("  ", "村民")]
)
def test_anonymise(name, shown):
    assert rules.anonymise(name) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(("asked_at", "today", "due", "overdue"), CLOCK)
def test_overdue_query_agrees_with_the_rule(asked_at, today, due, overdue, make_disclosure):
    page = make_disclosure()
    question = DisclosureQuestion.objects.create(
        page=page,
        region_id=page.region_id,
        asker_name="张三",
        asker_phone="13800000000",
        body="问题内容测试",
        asked_at=asked_at,
        fingerprint="x",
    )
    found = DisclosureQuestion.objects.filter(rules.overdue_q(today)).filter(pk=question.pk)
    assert found.exists() is overdue
    assert rules.overdue_counts_by_region(today=today).get(page.region_id, 0) == int(overdue)


# --- asking -----------------------------------------------------------------------------------

GOOD = {"name": "张三", "phone": "13912345678", "body": "请问第三季度修路支出12000元包括哪些项目？"}


@pytest.mark.django_db
def test_ask_stores_the_question_with_the_village(make_disclosure):
    page = make_disclosure()
    question = rules.ask(page, **GOOD)
    assert question.region_id == page.region_id
    assert question.asker_phone == "13912345678"
    assert question.answered_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "姓名"),
        ({"name": "张" * 21}, "name", "最多 20 个字"),
        ({"phone": "12345"}, "phone", "格式不正确"),
        ({"body": "好"}, "body", "至少"),
        ({"body": "长" * 501}, "body", "最多 500 个字"),
        ({"body": "我的电话是13912345678请回电"}, "body", "手机号码"),
    ],
)
def test_ask_refuses_bad_input_in_chinese(make_disclosure, change, field, words):
    page = make_disclosure()
    with pytest.raises(ValidationError) as info:
        rules.ask(page, **{**GOOD, **change})
    assert words in " ".join(info.value.message_dict[field])
    assert not DisclosureQuestion.objects.exists()


@pytest.mark.django_db
def test_the_same_question_twice_is_refused(make_disclosure):
    page = make_disclosure()
    rules.ask(page, **GOOD)
    with pytest.raises(ValidationError) as info:
        rules.ask(page, **{**GOOD, "body": "  " + GOOD["body"] + " "})
    assert "请勿重复提交" in info.value.messages[0]
    assert DisclosureQuestion.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_disclosure_takes_no_questions(make_disclosure):
    page = make_disclosure(live=False)
    with pytest.raises(ValidationError):
        rules.ask(page, **GOOD)


# --- the public form ------------------------------------------------------------------------


def ask_url(page):
    return reverse("disclosure_question_ask", args=[page.pk])


@pytest.mark.django_db
def test_disclosure_page_shows_the_form_without_a_csrf_token(client, make_disclosure):
    page = make_disclosure()
    html = client.get(page.url).content.decode()
    assert f'action="{ask_url(page)}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert 'name="website"' in html


@pytest.mark.django_db
def test_good_question_through_the_form(client, make_disclosure):
    page = make_disclosure()
    response = client.post(ask_url(page), GOOD)
    assert response.status_code == 200
    assert "询问已提交" in response.content.decode()
    assert DisclosureQuestion.objects.get().body == GOOD["body"]


@pytest.mark.django_db
def test_honeypot_is_refused(client, make_disclosure):
    page = make_disclosure()
    response = client.post(ask_url(page), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert not DisclosureQuestion.objects.exists()


@pytest.mark.django_db
def test_too_long_is_refused_and_the_input_kept(client, make_disclosure):
    page = make_disclosure()
    response = client.post(ask_url(page), {**GOOD, "body": "长" * 3000})
    html = response.content.decode()
    assert response.status_code == 400
    assert "询问内容" in html and ("过长" in html or "最多" in html)
    assert 'value="张三"' in html
    assert not DisclosureQuestion.objects.exists()


@pytest.mark.django_db
def test_duplicate_through_the_form(client, make_disclosure):
    page = make_disclosure()
    assert client.post(ask_url(page), GOOD).status_code == 200
    response = client.post(ask_url(page), GOOD)
    assert response.status_code == 400
    assert "请勿重复提交" in response.content.decode()


@pytest.mark.django_db
def test_flood_from_one_address_is_refused(client, make_disclosure, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "question_ip": "3/h", "question_phone": None}
    page = make_disclosure()
    codes = [
        client.post(ask_url(page), {**GOOD, "body": f"第{n}个问题：支出明细是什么？"}).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert DisclosureQuestion.objects.count() == 3
    last = client.post(ask_url(page), GOOD)
    assert "提交过于频繁" in last.content.decode()


@pytest.mark.django_db
def test_flood_from_one_phone_is_refused(client, make_disclosure, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "question_ip": None, "question_phone": "2/d"}
    page = make_disclosure()
    codes = [
        client.post(
            ask_url(page),
            {**GOOD, "body": f"第{n}个问题：支出明细是什么？"},
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"body": "x" * 100000},
        {"name": "\x00"},
        {**GOOD, "body": "支出明细\x00是什么？"},
        {**GOOD, "name": "张\x01三"},
    ],
)
def test_garbage_never_500(client, make_disclosure, data):
    page = make_disclosure()
    assert client.post(ask_url(page), data).status_code in (400, 429)


@pytest.mark.django_db
def test_get_and_unknown_page(client, make_disclosure):
    page = make_disclosure()
    response = client.get(ask_url(page))
    assert response.status_code == 302 and response["Location"] == page.url + "#ask-heading"
    assert client.post(reverse("disclosure_question_ask", args=[999999]), GOOD).status_code == 404
    draft = make_disclosure(live=False)
    assert client.post(ask_url(draft), GOOD).status_code == 404


# --- scope and answering ------------------------------------------------------------------


@pytest.fixture
def question(make_disclosure):
    return rules.ask(make_disclosure(), **GOOD)


@pytest.fixture
def donghu_staff(tree, donghu):
    return _user(
        "cw_donghu", [Group.objects.get(name=VILLAGE_STAFF)], donghu, email="cw@example.cn"
    )


@pytest.fixture
def town_admin(tree, regions):
    return _user("town", [Group.objects.get(name=TOWN_ADMIN)], regions["town"])


def detail_url(question):
    return reverse("disclosure_questions_admin:detail", args=[question.pk])


@pytest.mark.django_db
def test_committee_of_another_village_gets_404(client, question, xiling_committee):
    client.force_login(xiling_committee)
    assert client.get(detail_url(question)).status_code == 404
    assert client.post(detail_url(question), {"answer": "答复"}).status_code == 404
    listing = client.get(reverse("disclosure_questions_admin:index")).content.decode()
    assert GOOD["body"][:10] not in listing
    question.refresh_from_db()
    assert question.answered_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["donghu_committee", "donghu_staff"])
def test_village_committees_see_and_answer(client, question, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    listing = client.get(reverse("disclosure_questions_admin:index")).content.decode()
    assert GOOD["body"][:10] in listing
    assert "待答复（剩 10 天）" in listing or "待答复" in listing
    detail = client.get(detail_url(question)).content.decode()
    assert "13912345678" in detail  # staff see the phone to call back
    response = client.post(
        detail_url(question), {"answer": "包括路面硬化和排水沟。", "shown_publicly": "on"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "包括路面硬化和排水沟。"
    assert question.answered_by == user


@pytest.mark.django_db
def test_town_admin_reads_but_does_not_answer(client, question, town_admin):
    client.force_login(town_admin)
    assert client.get(detail_url(question)).status_code == 200
    client.post(detail_url(question), {"answer": "乡镇代答"})
    question.refresh_from_db()
    assert question.answered_at is None


@pytest.mark.django_db
def test_answer_refuses_personal_numbers(question, donghu_committee):
    with pytest.raises(ValidationError) as info:
        rules.answer(question, donghu_committee, "请联系13912345678")
    assert "手机号码" in " ".join(info.value.message_dict["answer"])


@pytest.mark.django_db
def test_overdue_flag_in_admin_and_dashboard(client, question, donghu_committee):
    DisclosureQuestion.objects.filter(pk=question.pk).update(
        asked_at=question.asked_at - datetime.timedelta(days=12)
    )
    client.force_login(donghu_committee)
    listing = client.get(reverse("disclosure_questions_admin:index") + "?status=overdue")
    assert "已逾期" in listing.content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "逾期未答复（共 1 条）" in dashboard


@pytest.mark.django_db
def test_answer_shown_anonymised_under_the_disclosure(client, question, donghu_committee):
    rules.answer(question, donghu_committee, "包括路面硬化和排水沟。")
    html = client.get(question.page.url).content.decode()
    assert "包括路面硬化和排水沟。" in html
    assert "张**" in html
    assert "张三" not in html
    assert "13912345678" not in html


@pytest.mark.django_db
def test_reworded_public_question(client, question, donghu_committee):
    rules.answer(question, donghu_committee, "已核实。", public_body="关于修路支出的询问")
    html = client.get(question.page.url).content.decode()
    assert "关于修路支出的询问" in html
    assert GOOD["body"] not in html


@pytest.mark.django_db
def test_answer_not_shown_publicly_stops_the_clock(client, question, donghu_committee):
    client.force_login(donghu_committee)
    client.post(detail_url(question), {"answer": "与本公开无关，已电话答复。", "public_body": ""})
    question.refresh_from_db()
    assert question.answered_at is not None and not question.shown_publicly
    client.logout()
    html = client.get(question.page.url).content.decode()
    assert "与本公开无关" not in html and "村民询问与答复" not in html


@pytest.mark.django_db
def test_answer_with_a_nul_is_refused_in_chinese(client, question, donghu_committee):
    client.force_login(donghu_committee)
    response = client.post(detail_url(question), {"answer": "答复\x00内容", "shown_publicly": "on"})
    assert response.status_code == 200
    assert "无法识别的字符" in response.content.decode()
    question.refresh_from_db()
    assert question.answered_at is None
