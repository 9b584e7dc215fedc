"""Notifications: queued on commit, sent by the task backend, nothing on rollback."""

import pytest
from django.core import mail
from django.db import transaction

from portal.notify import clean_recipients, notify


def test_clean_recipients_drops_blank_duplicate_and_header_injection():
    assert clean_recipients(["a@x.cn", " a@x.cn ", "", None, "b@x.cn\nBcc: c@x.cn", "d@x.cn"]) == [
        "a@x.cn",
        "d@x.cn",
    ]


@pytest.mark.django_db
def test_sent_after_commit_with_prefix(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = notify(["a@x.cn"], "您有一条\n待审核的公开", "正文")
        assert mail.outbox == []  # not inside the transaction
    assert queued == ["a@x.cn"]
    (message,) = mail.outbox
    assert message.to == ["a@x.cn"]
    assert message.subject == "【基层治理门户】您有一条 待审核的公开"
    assert message.body == "正文"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(["a@x.cn"], "主题", "正文")
            raise RuntimeError
    assert mail.outbox == []
    assert notify([], "主题", "正文") == []
