"""The case lifecycle: every step from every status, and the rules on each step."""

import pytest

from portal.cases import services
from portal.cases.models import Case, CaseEvent
from portal.cases.services import CasePermissionError, CaseRuleError

from .helpers import STEPS_TO, walk

STATUSES = ["accepted", "dispatched", "handling", "closed", "visited", "rated"]
ACTIONS = ["dispatch", "handle", "close", "visit", "rate", "return", "escalate"]

# The specification, written out independently of services.LIFECYCLE.
LEGAL = {
    ("accepted", "dispatch"): "dispatched",
    ("dispatched", "dispatch"): "dispatched",  # 改派
    ("dispatched", "handle"): "handling",
    ("handling", "close"): "closed",
    ("handling", "return"): "dispatched",
    ("closed", "visit"): "visited",
    ("visited", "rate"): "rated",
    ("accepted", "escalate"): "dispatched",
    ("dispatched", "escalate"): "dispatched",
    ("handling", "escalate"): "dispatched",
}

EVERYTHING = {
    "handler_unit": "城管执法中队",
    "resolution": "已清理完毕",
    "satisfaction": "basic",
    "mediated": True,
    "note": "按规定办理",
}


@pytest.fixture
def case_in(make_case, users):
    def make(status, **fields):
        case = make_case(**fields)
        return walk(case, users.donghu2, *STEPS_TO[status])

    return make


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_lifecycle_table(case_in, users, status, action):
    case = case_in(status)
    assert case.status == status
    events_before = case.events.count()

    if (status, action) in LEGAL:
        event = services.transition(case, action, users.donghu2, **EVERYTHING)
        expected = LEGAL[(status, action)]
        assert case.status == expected
        assert Case.objects.get(pk=case.pk).status == expected
        assert event.action == action
        assert (event.from_status, event.to_status) == (status, expected)
        assert case.events.count() == events_before + 1
    else:
        with pytest.raises(CaseRuleError) as refused:
            services.transition(case, action, users.donghu2, **EVERYTHING)
        message = " ".join(refused.value.messages)
        assert "不能" in message
        stored = Case.objects.get(pk=case.pk)
        assert stored.status == status
        assert stored.tier == "grid"
        assert case.events.count() == events_before


def test_illegal_step_message_names_status_action_and_next_steps(case_in, users):
    case = case_in("accepted")
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "close", users.donghu2, resolution="x")
    assert refused.value.messages == [
        "案件当前状态为“受理”，不能执行“办结”（可执行的下一步：分拨、上报升级）"
    ]


def test_target_status_is_accepted_instead_of_an_action(case_in, users):
    case = case_in("handling")
    event = services.transition(case, "dispatched", users.donghu2, note="非本单位职责")
    assert event.action == CaseEvent.Action.RETURN
    assert case.status == "dispatched"

    fresh = case_in("accepted")
    assert services.transition(fresh, "dispatched", users.donghu2, handler_unit="物业").action == (
        "dispatch"
    )
    with pytest.raises(CaseRuleError) as refused:
        services.transition(fresh, "rated", users.donghu2, satisfaction="satisfied")
    assert "不能变更为“评价”" in refused.value.messages[0]


def test_unknown_action_is_refused_in_chinese(case_in, users):
    case = case_in("accepted")
    with pytest.raises(CaseRuleError, match="未知的流转操作：archive"):
        services.transition(case, "archive", users.donghu2)
    with pytest.raises(CaseRuleError, match="不是流转操作"):
        services.transition(case, "create", users.donghu2)


def test_full_loop_records_every_step_with_actor_and_statuses(make_case, users):
    case = make_case(user=users.donghu)
    services.transition(case, "dispatch", users.town, handler_unit="社区物业办", note="请尽快处理")
    services.transition(case, "handle", users.donghu2)
    services.transition(case, "close", users.donghu2, resolution="已清运杂物")
    services.transition(case, "visit", users.town, note="电话回访")
    services.transition(case, "rate", users.town, satisfaction="satisfied")

    events = list(case.events.order_by("at", "id"))
    assert [e.action for e in events] == ["create", "dispatch", "handle", "close", "visit", "rate"]
    assert [e.actor.username for e in events] == [
        "donghu",
        "town",
        "donghu2",
        "donghu2",
        "town",
        "town",
    ]
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "accepted"),
        ("accepted", "dispatched"),
        ("dispatched", "handling"),
        ("handling", "closed"),
        ("closed", "visited"),
        ("visited", "rated"),
    ]
    assert all(e.to_tier == "grid" for e in events)
    assert events[1].note == "请尽快处理"
    assert events[1].detail == "分拨至：社区物业办"
    assert events[3].detail == "处置结果：已清运杂物"
    assert events[5].detail == "满意度：满意"
    case.refresh_from_db()
    assert case.handler == users.donghu2  # whoever started handling, as none was named
    assert case.satisfaction == "satisfied"
    assert case.closed_at is not None


def test_discoverer_cannot_close_their_own_case(make_case, users):
    case = make_case(user=users.donghu)
    assert case.discoverer == users.donghu
    walk(case, users.donghu, "dispatch", "handle")
    assert "close" not in services.allowed_actions(case, users.donghu)
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "close", users.donghu, resolution="已处理")
    assert "采办分离" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.status == "handling" and case.closed_at is None and case.resolution == ""

    assert "close" in services.allowed_actions(case, users.donghu2)
    services.transition(case, "close", users.donghu2, resolution="已处理")
    assert case.status == "closed"


@pytest.mark.parametrize("resolution", [None, "", "   "])
def test_closing_needs_a_resolution(case_in, users, resolution):
    case = case_in("handling")
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "close", users.donghu2, resolution=resolution)
    assert refused.value.message_dict == {"resolution": ["办结必须填写处置结果"]}
    case.refresh_from_db()
    assert case.status == "handling" and case.closed_at is None


@pytest.mark.parametrize("satisfaction", [None, "", "很好"])
def test_rating_needs_a_valid_satisfaction(case_in, users, satisfaction):
    case = case_in("visited")
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "rate", users.donghu2, satisfaction=satisfaction)
    assert "满意度" in refused.value.message_dict["satisfaction"][0]
    case.refresh_from_db()
    assert case.status == "visited" and case.satisfaction == ""


def test_rating_skipping_the_follow_up_visit_is_refused(case_in, users):
    case = case_in("closed")
    with pytest.raises(CaseRuleError, match="不能执行“评价”"):
        services.transition(case, "rate", users.donghu2, satisfaction="satisfied")


def test_dispute_case_records_mediation_outcome(case_in, users, categories):
    case = case_in("handling", category=categories.dispute)
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "close", users.donghu2, resolution="双方达成协议")
    assert refused.value.message_dict == {"mediated": ["矛盾纠纷类案件办结时必须注明是否调解成功"]}

    event = services.transition(
        case, "close", users.donghu2, resolution="经调解未达成一致", mediated=False
    )
    assert Case.objects.get(pk=case.pk).mediated is False
    assert "调解未成功" in event.detail


def test_non_dispute_case_ignores_mediation(case_in, users):
    case = case_in("handling")
    services.transition(case, "close", users.donghu2, resolution="已清理", mediated=True)
    assert Case.objects.get(pk=case.pk).mediated is None


def test_return_needs_a_reason_and_clears_the_unit(case_in, users):
    case = case_in("handling")
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "return", users.donghu2, note=" ")
    assert refused.value.message_dict == {"note": ["退回必须填写退回原因"]}

    event = services.transition(case, "return", users.donghu2, note="不属于物业职责")
    assert event.note == "不属于物业职责"
    assert event.detail.startswith("由 社区物业办")
    case.refresh_from_db()
    assert case.status == "dispatched" and case.handler_unit == "" and case.handler is None
    # The dispatcher must assign a new unit before anyone can handle it.
    assert services.allowed_actions(case, users.donghu2) == ["dispatch", "escalate"]
    with pytest.raises(CaseRuleError, match="请先分拨"):
        services.transition(case, "handle", users.donghu2)
    services.transition(case, "dispatch", users.donghu2, handler_unit="城管执法中队")
    services.transition(case, "handle", users.donghu2)
    assert case.status == "handling" and case.handler_unit == "城管执法中队"


def test_dispatch_needs_a_unit_or_person(case_in, users):
    case = case_in("accepted")
    with pytest.raises(CaseRuleError) as refused:
        services.transition(case, "dispatch", users.donghu2, handler_unit="  ")
    assert refused.value.message_dict == {"handler_unit": ["分拨时必须指定处置单位或处置人"]}
    services.transition(case, "dispatch", users.donghu2, handler=users.donghu2)
    assert case.handler == users.donghu2 and case.status == "dispatched"


def test_transition_reads_the_locked_row_not_a_stale_instance(case_in, users):
    case = case_in("dispatched")
    stale = Case.objects.get(pk=case.pk)
    services.transition(case, "handle", users.donghu2)
    # ``stale`` still says 分拨; the service must not trust it: the action was
    # offered from a state the case has left, so it is refused as stale.
    with pytest.raises(CaseRuleError, match="案件状态已变化，请刷新后重试（当前状态：处置"):
        services.transition(stale, "handle", users.donghu2)
    assert stale.status == "dispatched"  # untouched by a refused call
    assert Case.objects.get(pk=case.pk).events.filter(action="handle").count() == 1


def test_who_may_act(case_in, users):
    case = case_in("accepted")
    refusals = {
        "editor": "您没有办理（流转）案件的权限",
        "baisha": f"案件 {case.number} 不在您的辖区内",
        "unassigned": f"案件 {case.number} 不在您的辖区内",
        "xiling": f"案件 {case.number} 不在您的辖区内",
    }
    for name, message in refusals.items():
        user = getattr(users, name)
        assert services.allowed_actions(case, user) == []
        with pytest.raises(CasePermissionError) as refused:
            services.transition(case, "dispatch", user, handler_unit="物业")
        assert refused.value.messages == [message]
    assert Case.objects.get(pk=case.pk).status == "accepted"
    for name in ["root", "county", "town", "donghu", "donghu2"]:
        assert services.allowed_actions(case, getattr(users, name)) == ["dispatch", "escalate"]


def test_allowed_actions_follow_the_status(case_in, users):
    expected = {
        "accepted": ["dispatch", "escalate"],
        "dispatched": ["dispatch", "handle", "escalate"],
        "handling": ["close", "return", "escalate"],
        "closed": ["visit"],
        "visited": ["rate"],
        "rated": [],
    }
    for status, actions in expected.items():
        assert services.allowed_actions(case_in(status), users.donghu2) == actions, status
