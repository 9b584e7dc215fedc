"""Case business rules: numbering, deadlines, creation, editing and the lifecycle.

Every caller — the admin, the API, the importer, the tests — goes through this
module, so a rule is enforced once and refused with the same Chinese message
everywhere.

The lifecycle, as the table ``LIFECYCLE`` encodes it::

    受理 ──分拨──▶ 分拨 ──处置──▶ 处置 ──办结──▶ 办结 ──回访──▶ 回访 ──评价──▶ 评价
                    ▲  │(改派)      │
                    └──┘◀───退回────┘

* 分拨 is the dispatcher's desk: the case waits there for a handling unit. A
  case sent back (退回) or escalated lands there with its unit cleared, and the
  dispatcher (re)assigns it — so 分拨 is also allowed from 分拨 (改派).
* 处置 needs a unit or person already assigned.
* 办结 needs a resolution, may not be done by the case's discoverer (采办分离),
  and for dispute categories records whether mediation succeeded.
* 评价 needs a satisfaction value and follows 回访.
* Escalation (上报升级) moves an open case one tier up (网格 → 村/社区 →
  乡镇/街道 → 区县) and puts it back to 分拨 with its unit cleared: the higher
  tier dispatches it to its own unit. It is refused at 区县 and for closed cases.

Who may act: a user with ``cases.transition_case`` whose regions cover the
case's village, *and* who sits at or above the case's tier — a village worker
may act on 网格 and 村/社区 cases, but once a case has gone up to 乡镇/街道
only staff assigned to the town (or county) may move it.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from portal.snippets.phones import normalise_phone, phone_problem
from portal.snippets.scope import region_in_scope
from search import indexing

from . import fields as case_fields
from .models import Case, CaseEvent, CaseNumberSequence

CASE_NUMBER_RE = re.compile(r"^AJ(\d{4})(\d{6,})$")

Action = CaseEvent.Action
Status = Case.Status
Tier = Case.Tier

# action → (statuses it may start from, status it leads to)
LIFECYCLE = {
    Action.DISPATCH: (frozenset({Status.ACCEPTED, Status.DISPATCHED}), Status.DISPATCHED),
    Action.HANDLE: (frozenset({Status.DISPATCHED}), Status.HANDLING),
    Action.CLOSE: (frozenset({Status.HANDLING}), Status.CLOSED),
    Action.VISIT: (frozenset({Status.CLOSED}), Status.VISITED),
    Action.RATE: (frozenset({Status.VISITED}), Status.RATED),
    Action.RETURN: (frozenset({Status.HANDLING}), Status.DISPATCHED),
}
ESCALATABLE = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.HANDLING})

# The order buttons appear in.
ACTION_ORDER = [
    Action.DISPATCH,
    Action.HANDLE,
    Action.CLOSE,
    Action.VISIT,
    Action.RATE,
    Action.RETURN,
    Action.ESCALATE,
]

# Region level of a staff assignment → the highest case tier that staff may act on.
_REACH_BY_LEVEL = {"village": Tier.VILLAGE, "town": Tier.TOWN, "county": Tier.COUNTY}

# Which fields create_case accepts (the lifecycle ones only the importer gives:
# historical cases arrive in whatever state they reached elsewhere), which
# update_case lets staff change, and which it refuses because only the lifecycle
# changes them: declared once in ``portal.cases.fields``.
CREATE_FIELDS = case_fields.CREATE
EDITABLE_FIELDS = case_fields.EDITABLE
LIFECYCLE_FIELDS = case_fields.LIFECYCLE

_MOBILE_IN_TEXT_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_IN_TEXT_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


class CaseRuleError(ValidationError):
    """A case rule refused the change. The message is Chinese and meant for the user.

    A ``ValidationError`` so that forms and DRF serializers show it as they show
    any validation error; nothing has been written when it is raised.
    """


class CasePermissionError(CaseRuleError):
    """The user may not touch this case: permission, region scope or tier.

    A subclass so that the API can answer 403 where the admin shows a message.
    """


# --- numbering and deadlines -------------------------------------------------


class DuplicateSubmission(CaseRuleError):
    """The same submission (by ``submission_key``) was already registered."""


def compute_deadline(category, reported_at):
    """Deadline = reported time + the category's deadline in days."""
    return reported_at + datetime.timedelta(days=category.deadline_days)


def format_case_number(year, sequence):
    return f"AJ{year}{sequence:06d}"


def _used_sequence_floor(year):
    """The highest sequence of ``year`` held by any stored case, however it got there.

    Numbers also arrive from outside the counter: imported archives carry their
    own, the demo loader numbers in bulk. Looking at the cases themselves keeps
    the counter from handing out a number such a writer has already used. A
    range on the unique index (not ``startswith``, which PostgreSQL cannot
    answer from a collated index), so it reads one index entry.
    """
    top = Case.objects.filter(number__gte=f"AJ{year}", number__lt=f"AJ{year + 1}").aggregate(
        m=Max("number")
    )["m"]
    match = CASE_NUMBER_RE.match(top or "")
    if match and int(match.group(1)) == year:
        return int(match.group(2))
    return 0


def reserve_case_numbers(year, count=1):
    """Hand out ``count`` consecutive sequences of ``year``; return the first one.

    Safe under any concurrency: the counter row (``CaseNumberSequence``) is
    *updated first* — an atomic ``last = last + count`` that takes the row lock
    on PostgreSQL (and the write lock on SQLite, whose transactions here start
    IMMEDIATE) — and only then read, so two callers can never draw the same
    range. Under that lock the counter is raised past any number already stored
    (``_used_sequence_floor``). The lock is held until the caller's transaction
    commits, which serialises number allocation per year, not case writes in
    general. A number whose insert fails is skipped, never reused: the register
    may have gaps, never duplicates.

    A bulk loader that numbers its own rows calls this once per batch with
    ``count=len(batch)`` and formats ``first … first + count - 1``.
    """
    if count < 1:
        raise ValueError("count must be positive")
    with transaction.atomic():
        rows = CaseNumberSequence.objects.filter(year=year)
        if not rows.update(last=F("last") + count):
            # First number of the year: create the row (a concurrent creator
            # wins quietly), then take it as everyone else does.
            CaseNumberSequence.objects.bulk_create(
                [CaseNumberSequence(year=year, last=0)], ignore_conflicts=True
            )
            rows.update(last=F("last") + count)
        last = rows.values_list("last", flat=True).get()
        floor = _used_sequence_floor(year)
        if last - count < floor:
            last = floor + count
            rows.update(last=last)
    return last - count + 1


def next_case_number(year=None):
    """The number the next registration of ``year`` would get (a look, not a reservation)."""
    year = year or timezone.localdate().year
    counted = CaseNumberSequence.objects.filter(year=year).values_list("last", flat=True).first()
    return format_case_number(year, max(counted or 0, _used_sequence_floor(year)) + 1)


def case_state_problems(status, resolution="", satisfaction="", closed_at=None):
    """Chinese descriptions of what a case in ``status`` is missing (empty when fine).

    Shared by the lifecycle and the importer, which accepts a status as given but
    not one the rules could never have produced.
    """
    problems = []
    if status in Case.CLOSED_STATUSES and not (resolution or "").strip():
        problems.append("已办结的案件必须填写处置结果")
    if status == Case.Status.RATED and not satisfaction:
        problems.append("已评价的案件必须填写满意度")
    # A case reopened after the resident's 不满意 (portal.cases.rating) keeps that verdict.
    reopened = satisfaction == Case.Satisfaction.UNSATISFIED
    if satisfaction and not reopened and status not in Case.CLOSED_STATUSES:
        problems.append("尚未办结的案件不能填写满意度")
    return problems


def public_summary_problems(is_public, public_summary, reporter_name="", reporter_phone=""):
    """Chinese descriptions of why a public summary may not be published (empty when fine).

    Public pages show only the summary, so it must exist and must not carry the
    reporter's name, a phone number or an ID number.
    """
    summary = (public_summary or "").strip()
    problems = []
    if is_public and not summary:
        problems.append("公开的案件必须填写公开摘要")
    if not summary:
        return problems
    name = (reporter_name or "").strip()
    if name and name in summary:
        problems.append(f"公开摘要不得包含反映人姓名“{name}”")
    phone = (reporter_phone or "").strip()
    if (phone and phone in summary) or _MOBILE_IN_TEXT_RE.search(summary):
        problems.append("公开摘要不得包含电话号码")
    if _ID_IN_TEXT_RE.search(summary):
        problems.append("公开摘要不得包含身份证号码")
    return problems


# --- who may act ---------------------------------------------------------------


def tier_label(tier):
    return Tier(tier).label


def user_reach(user, village):
    """The highest case tier ``user`` may act on for cases in ``village`` (None: none).

    Superusers reach 区县. Otherwise the user's region assignments that cover the
    village (the village itself, its town or its county) decide: the highest of
    them wins.
    """
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Tier.COUNTY
    ancestors = {}
    node = village
    while node is not None:
        ancestors[node.pk] = node.level
        node = node.parent
    assigned = user.staff_regions.filter(region_id__in=ancestors).values_list(
        "region_id", flat=True
    )
    reaches = [
        _REACH_BY_LEVEL[ancestors[rid]] for rid in assigned if ancestors[rid] in _REACH_BY_LEVEL
    ]
    if not reaches:
        return None
    return max(reaches, key=Case.TIER_ORDER.index)


def acting_refusal(case, user):
    """Why ``user`` may not move ``case`` at all (a Chinese message), or None if they may."""
    if user is None or not user.is_authenticated:
        return "请先登录后再办理案件"
    if not user.has_perm("cases.transition_case"):
        return "您没有办理（流转）案件的权限"
    if not region_in_scope(user, case.village_id):
        return f"案件 {case.number} 不在您的辖区内"
    reach = user_reach(user, case.village)
    if reach is None or Case.TIER_ORDER.index(case.tier) > Case.TIER_ORDER.index(reach):
        return f"案件已上报至“{tier_label(case.tier)}”层级，您所在的层级无权办理"
    return None


def _check_may_act(case, user):
    refusal = acting_refusal(case, user)
    if refusal:
        raise CasePermissionError(refusal, code="forbidden")


def step_refusal(case, action, user):
    """Why ``action`` cannot be taken on ``case`` now, or None.

    Scope, permission and tier are ``acting_refusal``'s business; this checks the
    case's state and 采办分离 (``user`` closing their own discovery).
    """
    if action == Action.ESCALATE:
        if case.status not in ESCALATABLE:
            return "已办结的案件不能上报升级"
        if case.tier == Case.TIER_ORDER[-1]:
            return "案件已在区县层级，不能再上报升级"
        return None
    starts, _ = LIFECYCLE[action]
    if case.status not in starts:
        nexts = "、".join(a.label for a in _next_steps(case.status)) or "无"
        return (
            f"案件当前状态为“{case.get_status_display()}”，不能执行“{action.label}”"
            f"（可执行的下一步：{nexts}）"
        )
    if action == Action.HANDLE and not (case.handler_unit or case.handler_id):
        return "案件尚未指定处置单位或处置人，请先分拨"
    if action == Action.CLOSE and user is not None and case.discoverer_id == user.pk:
        return "采办分离：案件的发现人不能办结自己发现的案件，请由其他人员办结"
    return None


def _next_steps(status):
    steps = [a for a in ACTION_ORDER if a in LIFECYCLE and status in LIFECYCLE[a][0]]
    if status in ESCALATABLE:
        steps.append(Action.ESCALATE)
    return steps


def allowed_actions(case, user):
    """The lifecycle actions (``CaseEvent.Action`` members) ``user`` may take on ``case`` now.

    Used to draw the buttons: an action is listed only if ``transition`` would
    accept it from this user given the case's current data (extra input such as
    a resolution or a satisfaction value is asked for by the action's form).
    """
    if acting_refusal(case, user):
        return []
    return [a for a in _next_steps(case.status) if step_refusal(case, a, user) is None]


# --- creating and editing ---------------------------------------------------------


def _user_label(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _check_scope_for_grid(user, grid, verb):
    if user is None:
        return
    if not region_in_scope(user, grid.region_id):
        raise CasePermissionError(
            {"grid": f"网格“{grid.name}”不在您的辖区内，不能{verb}该网格的案件"},
            code="forbidden",
        )


def _clean(case, exclude=()):
    """Run the model's field validation and this module's own checks; raise CaseRuleError."""
    errors = {}
    try:
        case.full_clean(exclude=["number", "village", *exclude], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    case.reporter_phone = normalise_phone(case.reporter_phone)
    problem = phone_problem(case.reporter_phone)
    if problem:
        errors.setdefault("reporter_phone", []).append(problem)
    for problem in public_summary_problems(
        case.is_public, case.public_summary, case.reporter_name, case.reporter_phone
    ):
        errors.setdefault("public_summary", []).append(problem)
    for problem in case_state_problems(case.status, case.resolution, case.satisfaction):
        errors.setdefault("status", []).append(problem)
    if case.status in Case.CLOSED_STATUSES and case.closed_at is None:
        case.closed_at = case.reported_at
    if errors:
        raise CaseRuleError(errors)


# Relations are instances (or ids) the caller has already looked up; checking that
# they exist again would cost a query per case (the database's foreign keys hold).
_RELATIONS = ("category", "grid", "village", "discoverer", "handler")
# A bulk caller may give these relations by id (``prepare_case``).
_CREATE_BY_ID = frozenset({"grid_id", "discoverer_id", "handler_id"})


def _refuse_unknown(function, fields, allowed):
    """A programming error, not a rule: a caller passed a field the function does not take."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {', '.join(sorted(unknown))}")


def prepare_case(*, village_id=None, **fields):
    """A validated, unsaved ``Case`` built from ``fields`` without any database query.

    The rules every new case obeys, wherever it comes from: defaults (reported
    now; status 受理), the deadline from the category, the number's format (the
    number is left empty for ``_save_new`` to allocate when not given), the
    village from the grid, and ``_clean``'s field and content rules. ``category``
    must be a ``CaseCategory`` instance (its deadline is read); the grid may be
    an instance or ``grid_id`` with ``village_id``. Raises ``CaseRuleError``.

    ``build_case`` adds the checks that need the database (permission, scope,
    an existing number); a bulk importer does those on whole chunks and calls
    this per row.
    """
    _refuse_unknown("create_case", fields, CREATE_FIELDS | _CREATE_BY_ID)
    grid = fields.get("grid")
    if grid is None and not fields.get("grid_id"):
        raise CaseRuleError({"grid": "请选择案件所属网格"})
    if fields.get("reported_at", ...) is None:
        raise CaseRuleError({"reported_at": "请填写上报时间"})
    fields.setdefault("reported_at", timezone.now())
    category = fields.get("category")
    if category is None:
        raise CaseRuleError({"category": "请选择事件类别"})
    if not fields.get("deadline"):
        fields["deadline"] = compute_deadline(category, fields["reported_at"])
    number = (fields.pop("number", None) or "").strip()
    if number and not CASE_NUMBER_RE.match(number):
        raise CaseRuleError(
            {"number": f"案件编号“{number}”格式不正确，应为 AJ + 4位年份 + 至少6位序号"}
        )
    case = Case(**fields)
    case.number = number
    if grid is not None:
        case.village_id = grid.region_id
    else:
        case.village_id = village_id
    _clean(case, exclude=_RELATIONS)
    return case


def creation_event(case, user, *, imported=None, detail=None, at=None):
    """The unsaved first event of a new ``case``: 受理, or 导入 for a case given in a later state.

    ``create_case`` and the importer both write this, so that the event log of
    every case starts the same way. ``imported`` forces the 导入 action (a bulk
    import records where the case came from even when it is still 受理).
    """
    if imported is None:
        imported = case.status != Status.ACCEPTED
    if detail is None:
        detail = (
            f"按导入数据建立，状态：{case.get_status_display()}"
            if imported
            else f"登记来源：{case.get_source_display()}"
        )
    if at is None:
        at = timezone.now() if imported else case.reported_at
    return CaseEvent(
        case=case,
        action=Action.IMPORT if imported else Action.CREATE,
        actor=user,
        at=at,
        from_status="",
        to_status=case.status,
        from_tier="",
        to_tier=case.tier,
        detail=detail[:300],
    )


def build_case(*, user, **fields):
    """A validated, unsaved ``Case`` (number left empty unless given).

    ``create_case`` saves what this returns. ``user=None`` is a trusted system
    caller (a management command): no permission or scope check. The rules
    themselves are ``prepare_case``'s; this adds the ones that need a query.
    """
    _refuse_unknown("create_case", fields, CREATE_FIELDS)
    if user is not None and not user.has_perm("cases.add_case"):
        raise CasePermissionError("您没有登记案件的权限", code="forbidden")
    grid = fields.get("grid")
    if grid is None:
        raise CaseRuleError({"grid": "请选择案件所属网格"})
    _check_scope_for_grid(user, grid, "登记")
    fields.setdefault("discoverer", user)
    case = prepare_case(**fields)
    case.village = grid.region
    if case.number and Case.objects.filter(number=case.number).exists():
        raise CaseRuleError({"number": f"案件编号 {case.number} 已存在"})
    return case


def _save_new(case):
    """Insert ``case``, drawing its number from the year's counter unless it has one.

    The counter never hands out a number twice; a clash can still come from a
    writer that numbers cases itself (an import committing the same number at
    this moment), so the insert runs in a savepoint and a fresh number is drawn.
    """
    auto = not case.number
    year = timezone.localtime(case.reported_at).year
    for attempt in range(5):
        if auto:
            case.number = format_case_number(year, reserve_case_numbers(year))
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError as exc:
            case.pk = None
            key = case.submission_key
            if key and Case.objects.filter(submission_key=key).exists():
                raise DuplicateSubmission({"submission_key": "该事件已提交过"}) from exc
            if not auto or attempt == 4:
                raise CaseRuleError({"number": f"案件编号 {case.number} 已存在"}) from exc


def create_case(*, user, **fields):
    """Register a case and record its 受理 event. Returns the saved case.

    Number: ``next_case_number`` of the reported year unless given. Deadline: from
    the category unless given. Village: the grid's. Discoverer: ``user`` unless
    given. A case given in a later status (imports of historical cases) must
    satisfy ``case_state_problems`` and is recorded with an 导入 event instead.
    """
    with transaction.atomic():
        case = build_case(user=user, **fields)
        _save_new(case)
        creation_event(case, user).save()
        indexing.cases_changed([case.pk])
    return case


def create_case_once(*, user, submission_key, **fields):
    """``create_case`` for channels that may send the same report twice.

    Returns ``(case, created)``: a second submission with the same key (a form
    posted twice, a phone resending an offline draft, an API client retrying)
    gets the case the first one made instead of a duplicate. Two racing
    submissions are settled by the unique key: the loser finds the winner's case.
    """
    if not submission_key:
        return create_case(user=user, **fields), True
    existing = Case.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create_case(user=user, submission_key=submission_key, **fields), True
    except DuplicateSubmission:
        return Case.objects.get(submission_key=submission_key), False


def _lock_for(case, user, verb, verb_label):
    """The case's row, locked, once ``user`` may ``verb`` (change, delete) it; None: trusted."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if user is not None:
        if not user.has_perm(f"cases.{verb}_case"):
            raise CasePermissionError(f"您没有{verb_label}案件的权限", code="forbidden")
        if not region_in_scope(user, locked.village_id):
            raise CasePermissionError(f"案件 {locked.number} 不在您的辖区内", code="forbidden")
    return locked


def update_case(case, user, **fields):
    """Change a case's descriptive fields. Returns the updated case.

    The deadline is recomputed when the category or the reported time changes;
    the village follows the grid. Lifecycle fields (status, resolution, tier…)
    are refused: they change only through ``transition`` / ``escalate``.
    """
    lifecycle = set(fields) & LIFECYCLE_FIELDS
    if lifecycle:
        labels = "、".join(Case._meta.get_field(f).verbose_name for f in sorted(lifecycle))
        raise CaseRuleError(f"“{labels}”只能通过案件流转修改，不能直接编辑")
    _refuse_unknown("update_case", fields, EDITABLE_FIELDS)
    with transaction.atomic():
        locked = _lock_for(case, user, "change", "修改")
        old_category_id, old_reported_at = locked.category_id, locked.reported_at
        for name, value in fields.items():
            setattr(locked, name, value)
        if "grid" in fields:
            if locked.grid is None:
                raise CaseRuleError({"grid": "请选择案件所属网格"})
            _check_scope_for_grid(user, locked.grid, "登记")
            locked.village = locked.grid.region
        if locked.reported_at is None:
            raise CaseRuleError({"reported_at": "请填写上报时间"})
        if locked.category_id != old_category_id or locked.reported_at != old_reported_at:
            locked.deadline = compute_deadline(locked.category, locked.reported_at)
        _clean(locked)
        locked.save()
        indexing.cases_changed([locked.pk])
    _copy_state(locked, case)
    return case


def delete_case(case, user):
    """Delete a case and its events, and drop it from the index."""
    with transaction.atomic():
        locked = _lock_for(case, user, "delete", "删除")
        pk = locked.pk
        locked.delete()
        indexing.cases_deleted([pk])


# --- the lifecycle --------------------------------------------------------------

STALE_MESSAGE = "案件状态已变化，请刷新后重试"


@dataclass(frozen=True)
class ShownState:
    """The state of a case a lifecycle action was offered from.

    Every action carries it (the admin's forms post it back as hidden fields)
    and ``transition`` refuses the action when the locked row no longer matches:
    twenty clicks on one 上报升级 button escalate the case one tier, not three.
    ``revision`` catches a case that left and came back to the same status.
    """

    status: str
    tier: str
    revision: int

    @classmethod
    def of(cls, case):
        return cls(str(case.status), str(case.tier), int(case.revision))

    @classmethod
    def from_data(cls, data, prefix="shown_"):
        """Read ``shown_status`` / ``shown_tier`` / ``shown_revision``; None if missing or bad."""
        try:
            status = str(data[f"{prefix}status"])
            tier = str(data[f"{prefix}tier"])
            revision = int(str(data[f"{prefix}revision"]).strip())
        except (KeyError, TypeError, ValueError):
            return None
        return cls(status, tier, revision)


def _check_shown(locked, expected):
    if expected is None or ShownState.of(locked) != expected:
        raise CaseRuleError(
            f"{STALE_MESSAGE}（当前状态：{locked.get_status_display()}，"
            f"处置层级：{tier_label(locked.tier)}）",
            code="stale",
        )


def _copy_state(source, target):
    """Give the caller's instance the saved state (it may have been stale)."""
    if source is target:
        return
    for field in Case._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
        if not field.is_relation:
            continue
        if field.is_cached(source):
            field.set_cached_value(target, field.get_cached_value(source))
        elif field.is_cached(target):
            field.delete_cached_value(target)


def _resolve_action(case, to):
    """Turn ``to`` (an action, or the status to move to) into a ``CaseEvent.Action``."""
    if to in Action.values:
        action = Action(to)
        if action in (Action.CREATE, Action.IMPORT):
            raise CaseRuleError(f"“{action.label}”不是流转操作")
        return action
    if to in Status.values:
        for action in ACTION_ORDER:
            if action in LIFECYCLE and case.status in LIFECYCLE[action][0]:
                if LIFECYCLE[action][1] == to:
                    return action
        nexts = "、".join(a.label for a in _next_steps(case.status)) or "无"
        raise CaseRuleError(
            f"案件当前状态为“{case.get_status_display()}”，不能变更为“{Status(to).label}”"
            f"（可执行的下一步：{nexts}）",
            code="illegal_transition",
        )
    raise CaseRuleError(f"未知的流转操作：{to}", code="unknown_action")


def _apply(case, action, user, *, note, resolution, satisfaction, mediated, handler, handler_unit):
    """Change ``case`` in memory for ``action``; return the event's detail line."""
    if action == Action.DISPATCH:
        unit = (handler_unit if handler_unit is not None else case.handler_unit or "").strip()
        person = handler if handler is not None else case.handler
        if not unit and person is None:
            raise CaseRuleError({"handler_unit": "分拨时必须指定处置单位或处置人"})
        case.handler_unit, case.handler = unit, person
        return "分拨至：" + " ".join(filter(None, [unit, _user_label(person)]))
    if action == Action.HANDLE:
        if handler is not None:
            case.handler = handler
        if handler_unit is not None and handler_unit.strip():
            case.handler_unit = handler_unit.strip()
        if case.handler is None:
            case.handler = user
        return "处置人：" + " ".join(filter(None, [case.handler_unit, _user_label(case.handler)]))
    if action == Action.CLOSE:
        text = (resolution or "").strip()
        if not text:
            raise CaseRuleError({"resolution": "办结必须填写处置结果"})
        detail = f"处置结果：{text}"
        if case.category.is_dispute:
            if mediated is None:
                raise CaseRuleError({"mediated": "矛盾纠纷类案件办结时必须注明是否调解成功"})
            case.mediated = bool(mediated)
            detail += "（调解成功）" if case.mediated else "（调解未成功）"
        case.resolution = text
        case.closed_at = timezone.now()
        return detail[:300]
    if action == Action.VISIT:
        return "已回访"
    if action == Action.RATE:
        if satisfaction not in Case.Satisfaction.values:
            raise CaseRuleError({"satisfaction": "评价必须选择满意度：满意、基本满意或不满意"})
        case.satisfaction = satisfaction
        return f"满意度：{Case.Satisfaction(satisfaction).label}"
    if action == Action.RETURN:
        if not note.strip():
            raise CaseRuleError({"note": "退回必须填写退回原因"})
        previous = " ".join(filter(None, [case.handler_unit, _user_label(case.handler)]))
        case.handler_unit, case.handler = "", None
        return f"由 {previous} 退回分拨" if previous else "退回分拨"
    raise CaseRuleError(f"未知的流转操作：{action}")  # pragma: no cover - table is closed


def transition(
    case,
    to,
    user,
    *,
    expected=None,
    note="",
    resolution=None,
    satisfaction=None,
    mediated=None,
    handler=None,
    handler_unit=None,
):
    """Move ``case`` one step along its lifecycle; return the recorded ``CaseEvent``.

    ``to`` is an action (``CaseEvent.Action``: dispatch, handle, close, visit,
    rate, return, escalate) or the status to move to (``Case.Status``; the action
    is then the one the table leads there by — 处置 → 分拨 is 退回). The case row
    is locked for the duration, so two people pressing the same button cannot
    both succeed; ``case`` is updated in place with the saved state.

    ``expected`` is the ``ShownState`` the action was offered from (default: the
    state of ``case`` as the caller holds it). Under the row lock the stored
    case must still be in that state, else the action is refused with
    ``STALE_MESSAGE`` (code ``stale``) — a second click, or a page left open
    while a colleague moved the case, never acts on a case that has moved on.

    Raises ``CaseRuleError`` (illegal step, missing input) or its subclass
    ``CasePermissionError`` (scope, permission, tier); nothing is written then.
    """
    note = note or ""
    if expected is None:
        expected = ShownState.of(case)
    with transaction.atomic():
        locked = (
            # Lock only the case row: the village's parents are a nullable join,
            # which PostgreSQL refuses to lock.
            Case.objects.select_for_update(of=("self",))
            .select_related("category", "village__parent__parent")
            .get(pk=case.pk)
        )
        _check_may_act(locked, user)
        _check_shown(locked, expected)
        action = _resolve_action(locked, to)
        if action == Action.ESCALATE:
            event = _escalate_locked(locked, user, note)
        else:
            refusal = step_refusal(locked, action, user)
            if refusal:
                raise CaseRuleError(refusal, code="illegal_transition")
            from_status = locked.status
            detail = _apply(
                locked,
                action,
                user,
                note=note,
                resolution=resolution,
                satisfaction=satisfaction,
                mediated=mediated,
                handler=handler,
                handler_unit=handler_unit,
            )
            locked.status = LIFECYCLE[action][1]
            locked.revision += 1
            locked.save()
            event = CaseEvent.objects.create(
                case=locked,
                action=action,
                actor=user,
                from_status=from_status,
                to_status=locked.status,
                from_tier=locked.tier,
                to_tier=locked.tier,
                detail=detail,
                note=note.strip(),
            )
        indexing.cases_changed([locked.pk])
        notify_event(locked, event)
    _copy_state(locked, case)
    return event


def notify_event(case, event):
    """The emails a recorded step calls for (``portal.cases.case_mail``; sent after commit)."""
    from .case_mail import case_event_happened

    case_event_happened(case, event)


def _escalate_locked(case, user, note):
    refusal = step_refusal(case, Action.ESCALATE, user)
    if refusal:
        raise CaseRuleError(refusal, code="illegal_transition")
    if not note.strip():
        raise CaseRuleError({"note": "上报升级必须填写原因"})
    from_status, from_tier = case.status, case.tier
    case.tier = Case.TIER_ORDER[Case.TIER_ORDER.index(case.tier) + 1]
    case.status = Status.DISPATCHED
    case.handler_unit, case.handler = "", None
    case.revision += 1
    case.save()
    return CaseEvent.objects.create(
        case=case,
        action=Action.ESCALATE,
        actor=user,
        from_status=from_status,
        to_status=case.status,
        from_tier=from_tier,
        to_tier=case.tier,
        detail=f"由“{tier_label(from_tier)}”上报至“{tier_label(case.tier)}”，待重新分拨",
        note=note.strip(),
    )


def escalate(case, user, note, *, expected=None):
    """Send an open case one tier up and back to 分拨 there; return the ``CaseEvent``.

    Refused above 区县 and for closed cases. The unit is cleared because the
    higher tier assigns its own. Same locking, ``expected`` check and errors as
    ``transition``.
    """
    return transition(case, Action.ESCALATE, user, expected=expected, note=note)
