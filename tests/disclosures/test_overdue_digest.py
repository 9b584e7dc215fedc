"""``send_overdue_digest``: one email per user with their overdue items, from the registry."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import WorkflowPage

from portal import digest
from portal.cases import services
from portal.cases.models import Case, CaseCategory
from portal.groups import SUPERVISION_COMMITTEE, VILLAGE_STAFF
from portal.pages.disclosures import questions as rules
from portal.pages.models import DisclosureQuestion
from portal.pages.permissions import committee_group_for
from portal.snippets.models import Grid

from .conftest import _user

pytestmark = pytest.mark.django_db

GOOD = {"name": "张三", "phone": "13912345678", "body": "请问第三季度修路支出包括哪些项目？"}


def age(question, days):
    DisclosureQuestion.objects.filter(pk=question.pk).update(
        asked_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def people(tree, regions):
    generic = Group.objects.get(name=SUPERVISION_COMMITTEE)
    donghu, xiling = regions["东湖社区"], regions["西岭村"]
    return {
        "jw": _user(
            "jw",
            [generic, committee_group_for(donghu)],
            donghu,
            email="jw@example.cn",
            last_name="陈",
            first_name="立新",
        ),
        "cw": _user("cw", [Group.objects.get(name=VILLAGE_STAFF)], donghu, email="cw@example.cn"),
        "xl": _user("xl", [generic, committee_group_for(xiling)], xiling, email="xl@example.cn"),
    }


def run(*args):
    out = io.StringIO()
    call_command("send_overdue_digest", *args, stdout=out)
    return out.getvalue()


def test_overdue_question_reaches_its_villages_committees_only(
    people, make_disclosure, django_capture_on_commit_callbacks
):
    page = make_disclosure(title="三季度公开")
    age(rules.ask(page, **GOOD), 12)
    rules.ask(page, **{**GOOD, "body": "另一个还没到期的问题？"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "已发送 2 封" in output
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"jw@example.cn", "cw@example.cn"}
    body = by_address["jw@example.cn"].body
    assert "逾期事项日报" in by_address["jw@example.cn"].subject
    assert "陈立新" in body
    assert "逾期未答复的村民询问" in body and "（1 项）" in body
    assert "「三季度公开」的询问，已逾期 2 天" in body
    assert "13912345678" not in body and "张三" not in body


def test_nothing_overdue_sends_nothing(people, make_disclosure, django_capture_on_commit_callbacks):
    rules.ask(make_disclosure(), **GOOD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "已发送 0 封" in run()
    assert mail.outbox == []


def test_awaiting_approval_and_overdue_cases(
    people, make_disclosure, editor, tree, regions, django_capture_on_commit_callbacks
):
    page = make_disclosure(title="待审核的公开", live=False)
    workflow = WorkflowPage.objects.get(page=tree["东湖社区"]).workflow
    page.save_revision(user=editor)
    workflow.start(page, editor)
    donghu = regions["东湖社区"]
    grid = Grid.objects.create(code=donghu.code + "001", name="东湖一网格", region=donghu)
    category = CaseCategory.objects.create(name="环境卫生", code="sanitation", deadline_days=7)
    fields = {
        "description": "楼道堆放杂物",
        "category": category,
        "source": "grid_worker",
        "grid": grid,
    }
    mine = services.create_case(user=people["cw"], title="交给陈的案件", **fields)
    unit = services.create_case(user=people["cw"], title="交给东湖社区的案件", **fields)
    other = services.create_case(user=people["cw"], title="别人的案件", **fields)
    past = timezone.now() - datetime.timedelta(days=3)
    Case.objects.filter(pk=mine.pk).update(deadline=past, handler=people["jw"])
    Case.objects.filter(pk=unit.pk).update(deadline=past, handler_unit="东湖社区")
    Case.objects.filter(pk=other.pk).update(deadline=past, handler=people["xl"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run("--user", "jw")
    (message,) = mail.outbox
    assert "等待您审核的公开内容（1 项）" in message.body
    assert "「待审核的公开」" in message.body
    assert "交给陈的案件" in message.body and "交给东湖社区的案件" in message.body
    assert "别人的案件" not in message.body
    assert message.body.index("等待您审核") < message.body.index("逾期案件")


def test_dry_run_prints_and_sends_nothing(
    people, make_disclosure, django_capture_on_commit_callbacks
):
    age(rules.ask(make_disclosure(), **GOOD), 11)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--dry-run")
    assert "将发送 2 封" in output and "jw@example.cn" in output
    assert mail.outbox == []


def test_unknown_user_is_a_chinese_error(people):
    with pytest.raises(CommandError, match="没有找到"):
        run("--user", "nobody")


def test_registry_takes_a_new_kind(people):
    @digest.register("test_kind", "测试事项", order=99)
    def items(user, now):
        return [digest.DigestLine(f"{user.username} 的事项")] * 25

    try:
        sections = digest.sections_for(people["jw"], timezone.now())
        section = sections[-1]
        assert section.title == "测试事项"
        assert (len(section.lines), section.total, section.more) == (20, 25, 5)
    finally:
        digest._sources.pop("test_kind")
