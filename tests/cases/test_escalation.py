"""Escalation one tier up (网格 → 村/社区 → 乡镇/街道 → 区县) and who may act at each tier."""

import pytest

from portal.cases import services
from portal.cases.models import Case
from portal.cases.services import CasePermissionError, CaseRuleError

from .helpers import walk


def test_escalation_climbs_one_tier_at_a_time_up_to_the_county(make_case, users):
    case = make_case()
    walk(case, users.donghu2, "dispatch", "handle")

    e1 = services.escalate(case, users.donghu2, "涉及多个小区，网格无法协调")
    assert (e1.from_tier, e1.to_tier) == ("grid", "village")
    assert (e1.from_status, e1.to_status) == ("handling", "dispatched")
    assert e1.note == "涉及多个小区，网格无法协调"
    assert e1.detail == "由“网格”上报至“村/社区”，待重新分拨"
    assert case.tier == "village" and case.status == "dispatched"
    assert case.handler_unit == "" and case.handler is None

    # A village worker still reaches the 村/社区 tier and may send it further up.
    e2 = services.escalate(case, users.donghu2, "需街道协调职能部门")
    assert (e2.from_tier, e2.to_tier) == ("village", "town")

    # Now only town or county staff may move it.
    assert services.allowed_actions(case, users.donghu2) == []
    with pytest.raises(CasePermissionError) as refused:
        services.transition(case, "dispatch", users.donghu2, handler_unit="街道综治中心")
    assert refused.value.messages == ["案件已上报至“乡镇/街道”层级，您所在的层级无权办理"]
    assert services.allowed_actions(case, users.town) == ["dispatch", "escalate"]

    e3 = services.escalate(case, users.town, "需县级部门处理")
    assert (e3.from_tier, e3.to_tier) == ("town", "county")
    assert services.allowed_actions(case, users.town) == []
    assert services.allowed_actions(case, users.county) == ["dispatch"]

    with pytest.raises(CaseRuleError) as refused:
        services.escalate(case, users.county, "再往上")
    assert refused.value.messages == ["案件已在区县层级，不能再上报升级"]
    assert Case.objects.get(pk=case.pk).tier == "county"

    # The county dispatches and finishes it.
    walk(case, users.county, "dispatch", "handle", "close")
    assert case.status == "closed"
    tiers = list(case.events.filter(action="escalate").values_list("from_tier", "to_tier"))
    assert tiers == [("grid", "village"), ("village", "town"), ("town", "county")]


def test_escalating_a_closed_case_is_refused(make_case, users):
    case = walk(make_case(), users.donghu2, "dispatch", "handle", "close")
    with pytest.raises(CaseRuleError, match="已办结的案件不能上报升级"):
        services.escalate(case, users.donghu2, "群众不满意")
    assert Case.objects.get(pk=case.pk).tier == "grid"


def test_escalation_needs_a_reason(make_case, users):
    case = make_case()
    with pytest.raises(CaseRuleError) as refused:
        services.escalate(case, users.donghu2, "")
    assert refused.value.message_dict == {"note": ["上报升级必须填写原因"]}
    stored = Case.objects.get(pk=case.pk)
    assert (stored.tier, stored.status) == ("grid", "accepted")
    assert not stored.events.filter(action="escalate").exists()


def test_escalate_is_reachable_through_transition_too(make_case, users):
    case = make_case()
    event = services.transition(case, "escalate", users.donghu2, note="跨网格问题")
    assert event.action == "escalate" and case.tier == "village"


def test_other_towns_admin_cannot_escalate(make_case, users):
    case = make_case()
    with pytest.raises(CasePermissionError, match="不在您的辖区内"):
        services.escalate(case, users.baisha, "越权")
