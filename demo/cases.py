"""Demo case categories and ~520 cases with a consistent event history.

Runs after the registers' demo (grids and staff accounts exist). Idempotent:
categories are created by code, and cases only when there are none yet.

Cases are written with ``bulk_create`` (one insert per table instead of ~3,000
service calls), so this module builds the same state the services would have
produced — numbering, deadlines, village from the grid, closing data, one event
per step — and checks every case against the services' own state rules before
saving. Then it tells the search index, as every case write must.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo import case_text as demo_text
from portal.cases.models import Case, CaseCategory, CaseEvent
from portal.cases.services import (
    case_state_problems,
    compute_deadline,
    format_case_number,
    next_case_number,
    public_summary_problems,
)
from portal.snippets.models import Grid, StaffRegion
from search import indexing

CASE_COUNT = 520
DAYS_BACK = 365
Status = Case.Status
Action = CaseEvent.Action

# Steps that lead to each status, in order.
PATH = {
    Status.ACCEPTED: [],
    Status.DISPATCHED: [Action.DISPATCH],
    Status.HANDLING: [Action.DISPATCH, Action.HANDLE],
    Status.CLOSED: [Action.DISPATCH, Action.HANDLE, Action.CLOSE],
    Status.VISITED: [Action.DISPATCH, Action.HANDLE, Action.CLOSE, Action.VISIT],
    Status.RATED: [Action.DISPATCH, Action.HANDLE, Action.CLOSE, Action.VISIT, Action.RATE],
}
AFTER = {
    Action.DISPATCH: Status.DISPATCHED,
    Action.HANDLE: Status.HANDLING,
    Action.CLOSE: Status.CLOSED,
    Action.VISIT: Status.VISITED,
    Action.RATE: Status.RATED,
    Action.RETURN: Status.DISPATCHED,
    Action.ESCALATE: Status.DISPATCHED,
}


def ensure_categories():
    categories = {}
    for code, name, days, dispute, description in demo_text.CATEGORIES:
        category, _ = CaseCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "deadline_days": days,
                "is_dispute": dispute,
                "description": description,
            },
        )
        categories[code] = category
    return categories


def _status_for_age(rng, age_days):
    """Older cases are mostly finished; a few are left open (and so overdue)."""
    if age_days > 45:
        weights = [4, 2, 4, 12, 18, 60]
    elif age_days > 12:
        weights = [8, 10, 20, 20, 17, 25]
    else:
        weights = [30, 25, 30, 8, 4, 3]
    return rng.choices(list(PATH), weights=weights)[0]


def _place(rng, grid):
    village = grid.region.name
    if "社区" in village:
        estate = rng.choice(demo_text.ESTATES)
        return rng.choice(
            [
                f"{estate}{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元楼道",
                f"{estate}地下车库",
                f"{estate}南门",
                f"{estate}中心广场",
                f"{estate}{rng.randint(1, 18)}号楼",
            ]
        )
    return rng.choice(
        [
            f"{village}{rng.randint(1, 9)}组村道",
            f"{village}{rng.choice(demo_text.VILLAGE_SPOTS)}",
            f"{village}{rng.randint(1, 9)}组",
        ]
    )


def _public_where(grid):
    """Where, for a public summary: the village only — no estate, building or door number."""
    return f"{grid.region.name}辖区"


def _reporter(rng):
    from demo.people import SURNAMES, VOLUNTEER_GIVEN

    given = [c for c in demo_text.REPORTER_GIVEN if c not in VOLUNTEER_GIVEN]
    first, second = rng.sample(given, 2)
    phone = rng.choice(demo_text.REPORTER_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    return rng.choice(SURNAMES) + first + second, phone


def _demo_users():
    """The registers' demo accounts: grid workers discover, the town admin handles.

    Returns ({village id: grid worker}, officer). Either may be empty/None when
    the accounts are absent; events then have no actor.
    """
    users = get_user_model().objects.filter(username__startswith="demo_")
    by_name = {user.username: user for user in users}
    discoverers = {
        link.region_id: link.user
        for link in StaffRegion.objects.filter(user__username="demo_grid_worker").select_related(
            "user"
        )
    }
    return discoverers, by_name.get("demo_town_admin")


def _plan_steps(rng, status, escalations, returned):
    """The actions from 受理 to ``status``, with escalations and a 退回 woven in.

    Each escalation happens from an open stage (sometimes after handling began)
    and lands the case in 分拨 at the next tier, from where the normal path
    resumes with a fresh 分拨. A case escalated and not yet re-dispatched ends in
    分拨 even if ``status`` said 受理.
    """
    steps = []
    for _ in range(escalations):
        if rng.random() < 0.5:
            steps += [Action.DISPATCH, Action.HANDLE]
        steps.append(Action.ESCALATE)
    path = list(PATH[status])
    if returned and Action.HANDLE in path:
        at = path.index(Action.HANDLE) + 1
        path[at:at] = [Action.RETURN, Action.DISPATCH, Action.HANDLE]
    return steps + path


def _build(rng, grids, categories, now, discoverer, officer):
    """One unsaved case and its events (events get ``case`` set after the insert)."""
    category = rng.choice(list(categories.values()))
    title, report, unit, resolution, summary = rng.choice(demo_text.SCENARIOS[category.code])
    grid = rng.choice(grids)
    place = _place(rng, grid)
    reported_at = now - datetime.timedelta(
        days=rng.uniform(0.2, DAYS_BACK), seconds=rng.randrange(3600)
    )
    age_days = (now - reported_at).total_seconds() / 86400
    status = _status_for_age(rng, age_days)
    source = rng.choice(Case.Source.values)
    escalations = 0
    if rng.random() < 0.1:
        escalations = rng.choice([1, 1, 1, 2, 3])
    returned = rng.random() < 0.05
    steps = _plan_steps(rng, status, escalations, returned)

    extras = rng.sample(demo_text.EXTRA_SENTENCES, rng.randint(1, 3))
    reporter_name, reporter_phone = ("", "")
    if source != Case.Source.GRID_WORKER or rng.random() < 0.3:
        reporter_name, reporter_phone = _reporter(rng)

    case = Case(
        title=f"{place}{title}" if rng.random() < 0.4 else title,
        description=report.format(place=place) + "".join(extras),
        category=category,
        source=source,
        grid=grid,
        village=grid.region,
        place=place,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        discoverer=discoverer.get(grid.region_id) if source == Case.Source.GRID_WORKER else None,
        reported_at=reported_at,
        deadline=compute_deadline(category, reported_at),
        status=Status.ACCEPTED,
        tier=Case.Tier.GRID,
    )

    # Spread the steps between the report and now, closing around the deadline.
    span = (now - reported_at) * 0.9
    deadline_span = case.deadline - reported_at
    if Action.CLOSE in steps:
        close_at = min(span * 0.8, deadline_span * rng.uniform(0.2, 1.15))
        ci = steps.index(Action.CLOSE)
        before = sorted(rng.uniform(0.05, 0.95) for _ in range(ci))
        after = sorted(rng.uniform(0.1, 1.0) for _ in range(len(steps) - ci - 1))
        offsets = [close_at * f for f in before] + [close_at]
        offsets += [close_at + (span - close_at) * f for f in after]
    else:
        offsets = [span * f for f in sorted(rng.uniform(0.02, 1.0) for _ in steps)]

    events = [
        CaseEvent(
            action=Action.CREATE,
            actor=case.discoverer or officer,
            at=reported_at,
            to_status=Status.ACCEPTED,
            to_tier=case.tier,
            detail=f"登记来源：{case.get_source_display()}",
        )
    ]
    for action, offset in zip(steps, offsets, strict=True):
        at = reported_at + offset
        from_status, from_tier = case.status, case.tier
        note, detail = "", ""
        if action == Action.DISPATCH:
            case.handler_unit = unit
            detail = f"分拨至：{unit}"
        elif action == Action.HANDLE:
            case.handler = officer
            detail = f"处置人：{unit}"
        elif action == Action.CLOSE:
            case.resolution = resolution
            case.closed_at = at
            detail = f"处置结果：{resolution}"
            if category.is_dispute:
                case.mediated = rng.random() < 0.8
                detail += "（调解成功）" if case.mediated else "（调解未成功）"
        elif action == Action.VISIT:
            note, detail = rng.choice(demo_text.VISIT_NOTES), "已回访"
        elif action == Action.RATE:
            case.satisfaction = rng.choices(Case.Satisfaction.values, weights=[70, 20, 10])[0]
            detail = f"满意度：{case.get_satisfaction_display()}"
        elif action == Action.RETURN:
            note, detail = rng.choice(demo_text.RETURN_NOTES), f"由 {unit} 退回分拨"
            case.handler_unit, case.handler = "", None
        elif action == Action.ESCALATE:
            case.tier = Case.TIER_ORDER[Case.TIER_ORDER.index(case.tier) + 1]
            note = rng.choice(demo_text.ESCALATE_NOTES)
            detail = (
                f"由“{Case.Tier(from_tier).label}”上报至“{case.get_tier_display()}”，待重新分拨"
            )
            case.handler_unit, case.handler = "", None
        case.status = AFTER[action]
        events.append(
            CaseEvent(
                action=action,
                actor=officer,
                at=at,
                from_status=from_status,
                to_status=case.status,
                from_tier=from_tier,
                to_tier=case.tier,
                detail=detail,
                note=note,
            )
        )

    if case.status in Case.CLOSED_STATUSES and rng.random() < 0.45:
        case.is_public = True
        case.public_summary = summary.format(where=_public_where(grid))
    problems = case_state_problems(case.status, case.resolution, case.satisfaction)
    problems += public_summary_problems(
        case.is_public, case.public_summary, case.reporter_name, case.reporter_phone
    )
    if problems:  # pragma: no cover - a template bug, not bad input
        raise ValueError(f"演示案件 {case.number} 数据不一致：{'；'.join(problems)}")
    return case, events


def _first_sequences(years):
    """The next free sequence number per year, so demo numbers never collide."""
    return {year: int(next_case_number(year)[6:]) - 1 for year in years}


def load(stdout):
    categories = ensure_categories()
    stdout.write(f"案件类别：{len(categories)} 个")
    if Case.objects.exists():
        stdout.write("案件：已存在，跳过")
        return
    grids = list(Grid.objects.select_related("region").order_by("code"))
    if not grids:
        stdout.write("案件：没有网格，跳过（请先载入网格演示数据）")
        return
    rng = random.Random("portal-demo-cases")
    now = timezone.now()
    discoverers, officer = _demo_users()
    built = [_build(rng, grids, categories, now, discoverers, officer) for _ in range(CASE_COUNT)]
    # Number in order of reporting within each year, as the register would have.
    built.sort(key=lambda pair: pair[0].reported_at)
    renumber = _first_sequences({now.year - 1, now.year})
    for case, _ in built:
        year = timezone.localtime(case.reported_at).year
        renumber[year] = renumber.get(year, 0) + 1
        case.number = format_case_number(year, renumber[year])

    cases = Case.objects.bulk_create([case for case, _ in built], batch_size=500)
    events = []
    for case, case_events in zip(cases, (e for _, e in built), strict=True):
        for event in case_events:
            event.case = case
            events.append(event)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    ids = [case.pk for case in cases]
    indexing.cases_changed(ids)

    overdue = sum(1 for case in cases if case.is_overdue)
    escalated = sum(1 for case in cases if case.tier != Case.Tier.GRID)
    public = sum(1 for case in cases if case.is_public)
    stdout.write(
        f"案件：{len(cases)} 件（超期 {overdue} 件，上报升级 {escalated} 件，公开 {public} 件），"
        f"流转记录 {len(events)} 条"
    )
