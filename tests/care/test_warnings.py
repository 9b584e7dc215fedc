"""Overdue warnings: grid leader on overdue, town on twice overdue, never twice a day."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from portal import groups
from portal.care.models import Visit, VisitWarning
from portal.care.services import full_id_number
from portal.snippets.models import GridStaff
from tests.registers.conftest import make_user

from .conftest import local, make_care_object

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def overdue_world(care):
    reg = local(2026, 9, 1)
    # 独居老人, cadence 7: last visits 8, 15 and 7 days ago
    once = make_care_object(care.grid_a, "钱守义", 1, created_at=reg, phone="13899990001")
    twice = make_care_object(care.grid_a, "孙秀兰", 2, created_at=reg, address="东湖路99号")
    due_today = make_care_object(care.grid_a, "周德胜", 3, created_at=reg)
    elsewhere = make_care_object(care.grid_b, "吴桂芝", 4, created_at=reg)
    for person, days in [(once, 8), (twice, 15), (due_today, 7), (elsewhere, 8)]:
        day = TODAY - datetime.timedelta(days=days)
        Visit.objects.create(care_object=person, visited_at=local(day.year, day.month, day.day))
    leader_board = GridStaff.objects.create(name="王建国", role=GridStaff.Role.LEADER)
    leader_board.grids.add(care.grid_a)
    leader = make_user("leader_a", groups.GRID_WORKER, [care.x])
    leader.first_name, leader.last_name = "建国", "王"
    leader.save()
    care.leader = leader
    care.once, care.twice, care.due_today, care.elsewhere = once, twice, due_today, elsewhere
    return care


def run(django_capture_on_commit_callbacks, day=TODAY):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_visit_warnings", date=day.isoformat(), stdout=open("/dev/null", "w"))


def by_recipient():
    return {tuple(m.to): m for m in mail.outbox}


def test_leader_and_town_warned_once_per_day(overdue_world, django_capture_on_commit_callbacks):
    w = overdue_world
    run(django_capture_on_commit_callbacks)
    sent = by_recipient()
    leader_mail = sent[("leader_a@example.org",)]
    assert "钱守义" in leader_mail.body and "孙秀兰" in leader_mail.body
    assert "周德胜" not in leader_mail.body  # due today is not overdue
    assert "2名关爱对象逾期未走访" in leader_mail.subject
    town_mail = sent[("town_a@example.org",)]
    assert "孙秀兰" in town_mail.body and "钱守义" not in town_mail.body
    assert "连续两个周期" in town_mail.subject
    # grid B has no leader account: its village staff (worker_b) gets its list
    assert "吴桂芝" in sent[("worker_b@example.org",)].body
    # the grid A worker who is not the leader is not mailed; town B hears nothing
    assert ("worker_a@example.org",) not in sent and ("town_b@example.org",) not in sent
    for message in mail.outbox:
        secrets = ["13899990001", "东湖路99号", full_id_number(w.once), w.once.id_number_masked]
        for secret in secrets:
            assert secret not in message.body
    assert len(mail.outbox) == 3
    assert VisitWarning.objects.filter(date=TODAY).count() == 4  # 3 overdue + 1 twice

    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []

    run(django_capture_on_commit_callbacks, TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 3


def test_visit_stops_the_warning(overdue_world, django_capture_on_commit_callbacks):
    w = overdue_world
    Visit.objects.create(care_object=w.twice, visited_at=local(2026, 11, 30))
    run(django_capture_on_commit_callbacks)
    sent = by_recipient()
    assert "孙秀兰" not in sent[("leader_a@example.org",)].body
    assert ("town_a@example.org",) not in sent


def test_inactive_objects_are_not_warned(overdue_world, django_capture_on_commit_callbacks):
    w = overdue_world
    for person in (w.once, w.twice, w.elsewhere):
        person.active = False
        person.save()
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_bad_date_is_a_chinese_error(care):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="格式不正确"):
        call_command("send_visit_warnings", date="2026-13-01")
