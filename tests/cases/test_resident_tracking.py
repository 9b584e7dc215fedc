"""Following a report with its number and query code; rating it; what a resident may read."""

import re

import pytest
from django.core import mail

from portal.cases import rating, services, stats, tracking
from portal.cases.models import Case, CaseEvent

from .helpers import walk
from .resident import number_and_code, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(client, tree, categories):
    """A resident's report: (case, code)."""
    response = submit(client, tree.grids.donghu, categories.sanitation)
    number, code = number_and_code(response)
    return Case.objects.get(number=number), code


def track(client, number, code, **extra):
    return client.post("/cases/track/", {"number": number, "code": code, **extra})


def test_right_code_shows_progress(client, reported, users):
    case, code = reported
    walk(case, users.donghu, "dispatch")
    response = track(client, case.number, code[:4] + " " + code[4:])
    text = response.content.decode()
    assert response.status_code == 200
    assert "办理中" in text and "已分拨至承办单位" in text
    assert "社区物业办" not in text  # the unit dispatched to is staff-side detail
    assert case.deadline.astimezone().strftime("%Y年").lstrip("0") in text
    assert "no-store" in response["Cache-Control"]


def test_wrong_code_and_wrong_number_get_the_same_answer(client, reported):
    case, code = reported
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    wrong_code = track(client, case.number, wrong)
    wrong_number = track(client, "AJ2099999999", code)
    assert wrong_code.status_code == wrong_number.status_code == 400
    assert tracking.WRONG_ANSWER in wrong_code.content.decode()
    one = wrong_code.content.decode().replace(case.number, "N").replace(wrong, "C")
    other = wrong_number.content.decode().replace("AJ2099999999", "N").replace(code, "C")
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", one) == csrf.sub("", other)


def test_code_brute_force_is_limited_per_number(client, reported, settings):
    case, code = reported
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "case_tracking_number": "5/15m",
        "case_tracking_address": "1000/h",
    }
    for guess in range(5):
        response = client.post(
            "/cases/track/",
            {"number": case.number, "code": f"{guess:08d}"},
            REMOTE_ADDR=f"10.1.0.{guess}",
        )
        assert response.status_code == 400
    # even the right code is now refused for this number, from any address
    response = client.post(
        "/cases/track/", {"number": case.number, "code": code}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "查询失败次数过多" in response.content.decode()
    # the wait is told to a client too, and it is the block still to run (≤ 15 minutes)
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_code_brute_force_is_limited_per_address(client, reported, settings):
    case, code = reported
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "case_tracking_number": "1000/15m",
        "case_tracking_address": "3/h",
    }
    for guess in range(3):
        track(client, f"AJ20260000{guess:02d}", "00000000")
    response = track(client, case.number, code)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600


def test_rating_only_at_closed_or_visited(client, reported, users):
    case, code = reported
    response = track(
        client, case.number, code, satisfaction="satisfied", revision=str(case.revision)
    )
    assert response.status_code == 400
    assert "尚未办结" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED and not case.satisfaction


def test_rating_satisfied_once(client, reported, users):
    case, code = reported
    walk(case, users.donghu2, "dispatch", "handle", "close")
    before = stats.case_statistics(Case.objects.all())
    response = track(
        client, case.number, code, satisfaction="satisfied", comment="很快", revision=case.revision
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "感谢您的评价" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.RATED and case.satisfaction == "satisfied"
    assert case.rating_comment == "很快"
    after = stats.case_statistics(Case.objects.all())
    assert (before["rated"], after["rated"]) == (0, 1)
    assert after["satisfaction_rate"] == 1.0
    again = track(client, case.number, code, satisfaction="unsatisfied", revision=case.revision)
    assert again.status_code == 400 and "已评价" in again.content.decode()
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"


def test_unsatisfied_reopens_to_dispatch_and_counts_in_the_rate(client, reported, users):
    case, code = reported
    walk(case, users.donghu2, "dispatch", "handle", "close", "visit")
    response = track(
        client,
        case.number,
        code,
        satisfaction="unsatisfied",
        comment="没修好",
        revision=case.revision,
    )
    assert response.status_code == 200
    assert "重新办理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DISPATCHED
    assert case.handler_unit == "" and case.closed_at is None
    last = list(case.events.order_by("at", "id"))[-2:]
    assert [e.action for e in last] == [CaseEvent.Action.RATE, CaseEvent.Action.RETURN]
    assert last[1].detail.startswith("群众不满意，重新办理")
    figures = stats.case_statistics(Case.objects.all())
    assert figures["unsatisfied"] == 1 and figures["satisfaction_rate"] == 0.0
    # staff may still edit the reopened case (the verdict does not block the rules) …
    services.update_case(case, users.donghu, public_summary="")
    # … and take it round again; then the resident rates the new outcome
    walk(case, users.donghu2, "dispatch", "handle", "close")
    rating.rate_case(case, "basic")
    case.refresh_from_db()
    assert case.status == Case.Status.RATED and case.satisfaction == "basic"
    assert stats.case_statistics(Case.objects.all())["satisfaction_rate"] == 1.0


def test_a_stale_rating_form_is_refused(reported, users):
    case, _code = reported
    walk(case, users.donghu2, "dispatch", "handle", "close")
    shown = case.revision
    walk(case, users.donghu2, "visit")
    with pytest.raises(services.CaseRuleError):
        rating.rate_case(case, "satisfied", expected_revision=shown)


def test_public_timeline_hides_actors_units_and_notes(reported, users):
    case, _code = reported
    users.donghu2.first_name, users.donghu2.last_name = "建国", "赵"
    users.donghu2.save()
    services.transition(
        case, "dispatch", users.donghu, handler=users.donghu2, handler_unit="东湖物业办 13800001111"
    )
    services.transition(case, "handle", users.donghu2)
    services.transition(case, "return", users.donghu2, note="找刘大妈 13700002222 了解")
    services.transition(case, "escalate", users.donghu, note="本级无法解决")
    steps = tracking.public_timeline(case)
    text = " ".join(f"{s.label} {s.text}" for s in steps)
    for secret in ("赵建国", "donghu", "物业办", "13800001111", "刘大妈", "13700002222", "本级"):
        assert secret not in text
    assert [s.label for s in steps] == ["受理", "分拨", "处置", "退回", "上报升级"]
    assert "已上报至村/社区层级办理" in text


def test_resident_gets_emails_without_the_code_and_the_handler_is_told(
    client, tree, categories, users, django_capture_on_commit_callbacks
):
    users.donghu2.email = "handler@example.cn"
    users.donghu2.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client, tree.grids.donghu, categories.sanitation, email="resident@example.cn"
        )
    number, code = number_and_code(response)
    case = Case.objects.get(number=number)
    assert [m.to for m in mail.outbox] == [["resident@example.cn"]]
    assert number in mail.outbox[0].subject + mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(case, "dispatch", users.donghu, handler=users.donghu2)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["handler@example.cn", "resident@example.cn"]
    to_resident = next(m for m in mail.outbox if m.to == ["resident@example.cn"])
    to_handler = next(m for m in mail.outbox if m.to == ["handler@example.cn"])
    assert number in to_handler.subject and "/admin/cases/case/inspect/" in to_handler.body
    assert "已分拨" in to_resident.body
    for message in mail.outbox:
        assert code not in message.body and code[:4] + " " + code[4:] not in message.body
    assert "handler" not in to_resident.body and "donghu" not in to_resident.body
    assert "王秀英" not in to_handler.subject
    # 改派 (分拨 again, status unchanged) writes to the handler only, not the resident
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(case, "dispatch", users.donghu, handler_unit="城管中队", handler=None)
    assert [m.to for m in mail.outbox] == [["handler@example.cn"]]


def test_rolled_back_step_sends_nothing(reported, users, django_capture_on_commit_callbacks):
    case, _ = reported
    Case.objects.filter(pk=case.pk).update(reporter_email="r@example.cn")
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.CaseRuleError):
            services.transition(case, "close", users.donghu, resolution="x")
    assert mail.outbox == []
