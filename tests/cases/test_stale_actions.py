"""A lifecycle action carries the state it was shown and is refused once the case moved.

These run on SQLite and PostgreSQL alike: the race is replayed one request after
another (a page drawn, a colleague acts, the old page is posted), which is what
the row lock turns concurrent clicks into.
"""

import pytest

from portal.cases import services
from portal.cases.models import Case, CaseEvent
from portal.cases.services import CaseRuleError, ShownState

from .helpers import shown, walk

STALE = "案件状态已变化，请刷新后重试"


def action_url(case, action):
    return f"/admin/cases/case/action/{case.pk}/{action}/"


def test_inspect_and_action_pages_carry_the_shown_state(client, users, make_case):
    case = walk(make_case(), users.donghu2, "dispatch")
    client.force_login(users.donghu2)
    for url in (f"/admin/cases/case/inspect/{case.pk}/", action_url(case, "handle")):
        page = client.get(url).content.decode()
        assert 'name="shown_status" value="dispatched"' in page
        assert 'name="shown_tier" value="grid"' in page
        assert f'name="shown_revision" value="{case.revision}"' in page


def test_a_stale_escalate_post_is_refused_and_changes_nothing(client, users, make_case):
    case = make_case()
    page_state = shown(case)
    client.force_login(users.county)
    first = client.post(
        action_url(case, "escalate"), {"escalate-note": "网格无法协调", **page_state}
    )
    assert first.status_code == 302
    # The same page posted again (a double click, a second tab): refused.
    again = client.post(
        action_url(case, "escalate"), {"escalate-note": "再点一次", **page_state}, follow=True
    )
    body = again.content.decode()
    assert again.redirect_chain[-1][0] == f"/admin/cases/case/inspect/{case.pk}/"
    assert f"上报升级未完成：{STALE}（当前状态：分拨，处置层级：村/社区）" in body
    stored = Case.objects.get(pk=case.pk)
    assert (stored.tier, stored.revision) == ("village", 1)
    assert CaseEvent.objects.filter(case=case, action="escalate").count() == 1


def test_a_case_that_came_back_to_the_same_status_still_refuses_the_old_page(
    client, users, make_case
):
    case = walk(make_case(), users.donghu2, "dispatch")
    old_page = shown(case)  # 分拨, revision 1
    walk(case, users.donghu2, "handle", "return")  # 处置, then 退回: 分拨 again
    assert case.status == "dispatched"
    client.force_login(users.donghu2)
    response = client.post(
        action_url(case, "dispatch"), {"dispatch-handler_unit": "旧页面的单位", **old_page}
    )
    assert response.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert stored.handler_unit == "" and stored.revision == 3  # the 退回 cleared it; kept
    assert not CaseEvent.objects.filter(case=case, detail__contains="旧页面").exists()


@pytest.mark.parametrize(
    "tampered",
    [
        {},  # an old form without the fields
        {"shown_status": "dispatched", "shown_tier": "grid"},  # one missing
        {"shown_status": "accepted", "shown_tier": "grid", "shown_revision": "abc"},
        {"shown_status": "accepted", "shown_tier": "grid", "shown_revision": "²"},
        {"shown_status": "accepted", "shown_tier": "county", "shown_revision": "0"},
        {"shown_status": "accepted", "shown_tier": "grid", "shown_revision": "9" * 40},
    ],
)
def test_posts_without_a_valid_shown_state_are_refused(client, users, make_case, tampered):
    case = make_case()
    client.force_login(users.donghu2)
    response = client.post(
        action_url(case, "dispatch"),
        {"dispatch-handler_unit": "社区物业办", **tampered},
        follow=True,
    )
    assert response.status_code == 200
    assert STALE in response.content.decode()
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.handler_unit, stored.revision) == ("accepted", "", 0)


def test_a_form_error_keeps_the_state_the_form_was_drawn_from(client, users, make_case):
    case = walk(make_case(), users.donghu2, "dispatch", "handle")
    page_state = shown(case)
    client.force_login(users.town)
    response = client.post(action_url(case, "close"), {"close-resolution": "", **page_state})
    assert response.status_code == 200
    page = response.content.decode()
    assert "办结必须填写处置结果" in page
    assert f'name="shown_revision" value="{page_state["shown_revision"]}"' in page


def test_the_service_checks_an_explicit_shown_state(make_case, users):
    case = make_case()
    expected = ShownState.of(case)
    services.escalate(case, users.county, "第一次", expected=expected)
    with pytest.raises(CaseRuleError, match=STALE) as refused:
        services.escalate(case, users.county, "第二次", expected=expected)
    assert refused.value.code == "stale"
    assert Case.objects.get(pk=case.pk).tier == "village"
    # The instance the caller holds is the default shown state: fresh, it works.
    services.escalate(case, users.county, "第二次")
    assert Case.objects.get(pk=case.pk).tier == "town"
