"""Emails of the disclosure area, read from Django's outbox (immediate task backend)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from portal.groups import SUPERVISION_COMMITTEE, VILLAGE_STAFF
from portal.pages.disclosures import questions as rules
from portal.pages.permissions import committee_group_for

from .conftest import _user, add_url, form_data

pytestmark = pytest.mark.django_db

GOOD = {"name": "张三", "phone": "13912345678", "body": "请问第三季度修路支出包括哪些项目？"}


@pytest.fixture
def members(tree, regions):
    generic = Group.objects.get(name=SUPERVISION_COMMITTEE)
    staff = Group.objects.get(name=VILLAGE_STAFF)
    donghu, xiling = regions["东湖社区"], regions["西岭村"]
    return {
        "committee": _user(
            "jw1", [generic, committee_group_for(donghu)], donghu, email="jw1@example.cn"
        ),
        "no_email": _user("jw2", [generic, committee_group_for(donghu)], donghu),
        "staff": _user("cw1", [staff], donghu, email="cw1@example.cn"),
        "other_village": _user(
            "jw3", [generic, committee_group_for(xiling)], xiling, email="jw3@example.cn"
        ),
        "other_staff": _user("cw3", [staff], xiling, email="cw3@example.cn"),
    }


def test_question_mails_the_villages_committees_after_commit(
    members, make_disclosure, django_capture_on_commit_callbacks
):
    page = make_disclosure(title="2026年第三季度村务公开")
    with django_capture_on_commit_callbacks(execute=True):
        question = rules.ask(page, **GOOD)
        assert mail.outbox == []
    (message,) = mail.outbox
    assert sorted(message.to) == ["cw1@example.cn", "jw1@example.cn"]
    assert "村民询问" in message.subject and page.title in message.subject
    assert GOOD["body"] in message.body
    assert f"/admin/disclosure-questions/{question.pk}/" in message.body
    assert "张**" in message.body
    assert "张三" not in message.body and "13912345678" not in message.body


def test_refused_question_sends_nothing(
    members, make_disclosure, django_capture_on_commit_callbacks
):
    page = make_disclosure()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            rules.ask(page, **{**GOOD, "phone": "x"})
    assert mail.outbox == []


def test_submitting_a_disclosure_mails_its_committee_only(
    client, members, tree, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url(tree["东湖社区"]), {**form_data(), "action-submit": "1"})
    assert response.status_code == 302
    approval = [m for m in mail.outbox if "待审核" in m.subject]
    assert len(approval) == 1, [m.subject for m in mail.outbox]
    (message,) = approval
    assert message.to == ["jw1@example.cn"]
    assert "东湖社区村务监督委员会审核" in message.body
    assert "/admin/pages/" in message.body
    # Wagtail's own (synchronous) submission mail is not sent for disclosures.
    assert len(mail.outbox) == 1
