"""The resident's own rating of a case: the 评价 step of the closed loop.

Staff record a rating taken by phone through ``services.transition`` (回访 →
评价); a resident who follows their case with its query code rates it here:

* only once the case has reached 办结 or 回访 (a resident does not have to wait
  for the follow-up call), and once per round: the rating moves the case on, so
  a second rating of the same round finds it rated (or reopened) and is refused;
* 满意 / 基本满意 → 评价, like staff's step;
* 不满意 → the 评价 event is recorded (the verdict counts in 满意率: it stays
  in ``Case.satisfaction``), then the case is reopened — back to 分拨 with a
  退回 event "群众不满意，重新办理", its unit cleared and a fresh deadline from
  its category — as 12345 platforms do. When it is closed again the resident
  may rate the new outcome, which replaces the old verdict.

The comment is kept in ``Case.rating_comment`` and the event's note (staff
see it; public pages never show notes).
"""

from django.db import transaction
from django.utils import timezone

from search import indexing

from .models import Case, CaseEvent
from .services import CaseRuleError, compute_deadline

RATEABLE = frozenset({Case.Status.CLOSED, Case.Status.VISITED})
COMMENT_MAX = 500
REOPEN_DETAIL = "群众不满意，重新办理"


def rating_refusal(case):
    """Why the resident cannot rate ``case`` now (Chinese), or '' when they can."""
    if case.status in RATEABLE:
        return ""
    if case.status == Case.Status.RATED:
        return "该事项已评价，感谢您的反馈。"
    if case.satisfaction == Case.Satisfaction.UNSATISFIED:
        return "该事项已根据您的评价重新办理，办结后可再次评价。"
    return "事项尚未办结，办结后才能评价。"


def rate_case(case, satisfaction, comment="", *, expected_revision=None):
    """Record the resident's rating; returns the events written (评价, and 退回 for 不满意).

    ``expected_revision`` is the ``Case.revision`` the rating form was drawn
    from: a form left open while staff moved the case on is refused. Raises
    ``CaseRuleError`` with a Chinese message; nothing is written then.
    """
    if satisfaction not in Case.Satisfaction.values:
        raise CaseRuleError({"satisfaction": "请选择满意、基本满意或不满意"})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise CaseRuleError({"comment": f"评价意见不能超过 {COMMENT_MAX} 字"})
    from .case_mail import case_event_happened

    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case.pk)
        )
        refusal = rating_refusal(locked)
        if refusal:
            raise CaseRuleError(refusal, code="not_rateable")
        if expected_revision is not None and locked.revision != expected_revision:
            raise CaseRuleError("事项办理情况已更新，请重新查询后再评价。", code="stale")
        label = Case.Satisfaction(satisfaction).label
        from_status = locked.status
        locked.satisfaction = satisfaction
        locked.rating_comment = comment
        locked.status = Case.Status.RATED
        events = [
            CaseEvent(
                case=locked,
                action=CaseEvent.Action.RATE,
                from_status=from_status,
                to_status=Case.Status.RATED,
                from_tier=locked.tier,
                to_tier=locked.tier,
                detail=f"群众评价：{label}",
                note=comment,
            )
        ]
        if satisfaction == Case.Satisfaction.UNSATISFIED:
            now = timezone.now()
            previous = locked.handler_unit
            locked.status = Case.Status.DISPATCHED
            locked.handler_unit, locked.handler = "", None
            locked.closed_at = None
            locked.deadline = compute_deadline(locked.category, now)
            events.append(
                CaseEvent(
                    case=locked,
                    action=CaseEvent.Action.RETURN,
                    at=now,
                    from_status=Case.Status.RATED,
                    to_status=Case.Status.DISPATCHED,
                    from_tier=locked.tier,
                    to_tier=locked.tier,
                    detail=(REOPEN_DETAIL + (f"（原承办：{previous}）" if previous else ""))[:300],
                )
            )
        locked.revision += 1
        locked.save()
        for event in events:
            event.save()
        indexing.cases_changed([locked.pk])
        case_event_happened(locked, events[-1])
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
    return events
