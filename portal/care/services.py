"""Care rules: who sees which care objects, when a visit is due, recording visits and rounds.

One door for the admin, the phone pages (``/field/``), the importer, the
warning command and the tests.

Scope: a user sees a care object, its visits and a grid's rounds when their
regions (``portal.snippets.scope``) cover the grid's village *and* they hold the
model permission (``care.view_careobject``, ``care.add_visit``,
``care.add_round``); superusers see everything. Anything out of scope raises
``CareScopeError``, a ``Http404``: a view that lets it through answers 404 and
tells nothing about the person. A broken rule raises ``CareRuleError`` (a
``ValidationError`` with a Chinese message); nothing has been written then.

Cadence and overdue, for a care object with cadence ``c`` days whose last visit
(or, never visited, registration) fell on local day ``d``:

* due on ``d + c`` — a visit on that day is on time;
* overdue from ``d + c + 1``;
* overdue twice from ``d + 2c + 1`` (two whole cadences without a visit: the
  town is warned).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from portal.cases.models import Case
from portal.snippets import pii
from portal.snippets.scope import region_in_scope, restrict_to_scope

from .models import DEFAULT_CADENCE_DAYS, CareObject, Round, Visit, VisitCadence


class CareScopeError(Http404):
    """The object is outside the user's regions, or the user lacks the permission."""


class CareRuleError(ValidationError):
    """A care rule refused the change; the message is Chinese and meant for the user."""


# A phone's clock may run a little fast; more than this in the future is a typing error.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
CLIENT_TOKEN_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


# --- scope ----------------------------------------------------------------------


def _may(user, perm):
    return bool(user is not None and user.is_authenticated and user.has_perm(perm))


def _check_grid(user, grid, perm, refusal):
    if not _may(user, perm):
        raise CareScopeError(refusal)
    if not region_in_scope(user, grid.region_id):
        raise CareScopeError(f"网格“{grid.name}”不在您的辖区内")


def visible_care_objects(user):
    """Care objects whose grid lies in the user's regions (none without ``care.view_careobject``)."""
    objects = CareObject.objects.select_related("grid", "grid__region")
    if not _may(user, "care.view_careobject"):
        return objects.none()
    return restrict_to_scope(objects, user, "grid__region")


def visible_visits(user):
    """Visits to care objects the user may see."""
    visits = Visit.objects.select_related("care_object", "care_object__grid", "worker")
    if not _may(user, "care.view_visit"):
        return visits.none()
    return restrict_to_scope(visits, user, "care_object__grid__region")


def visible_rounds(user):
    """Rounds of grids in the user's regions."""
    rounds = Round.objects.select_related("grid", "worker")
    if not _may(user, "care.view_round"):
        return rounds.none()
    return restrict_to_scope(rounds, user, "grid__region")


def check_care_object(user, care_object, perm="care.view_careobject"):
    """Raise ``CareScopeError`` unless ``user`` may see ``care_object``."""
    _check_grid(user, care_object.grid, perm, "您没有查看关爱对象的权限")


# --- cadence and overdue ----------------------------------------------------------


def town_id_of(care_object):
    return care_object.grid.region.parent_id


def cadence_table(town_ids):
    """``{(town_id, kind): days}`` set by the given towns (one query)."""
    rows = VisitCadence.objects.filter(town_id__in=set(town_ids)).values_list(
        "town_id", "kind", "days"
    )
    return {(town, kind): days for town, kind, days in rows}


def cadence_for(town_id, kind, table):
    """Days between visits: the town's own setting, else ``DEFAULT_CADENCE_DAYS``."""
    return table.get((town_id, kind)) or DEFAULT_CADENCE_DAYS[kind]


def cadence_days(care_object):
    """The visit cadence of ``care_object`` in days."""
    town_id = town_id_of(care_object)
    return cadence_for(town_id, care_object.kind, cadence_table([town_id]))


@dataclass(frozen=True)
class VisitState:
    last_visit_at: datetime.datetime | None
    due_on: datetime.date
    overdue: bool
    overdue_twice: bool

    def days_overdue(self, today):
        return max((today - self.due_on).days, 0)

    @property
    def label(self):
        if self.overdue_twice:
            return "连续两个周期未走访"
        if self.overdue:
            return "逾期未走访"
        return "按期"


def state_from(last_visit_at, registered_at, cadence, today):
    """The rule itself, on plain values (see the module docstring)."""
    anchor = last_visit_at if last_visit_at is not None else registered_at
    start = timezone.localtime(anchor).date()
    due_on = start + datetime.timedelta(days=cadence)
    return VisitState(
        last_visit_at=last_visit_at,
        due_on=due_on,
        overdue=today > due_on,
        overdue_twice=today > start + datetime.timedelta(days=2 * cadence),
    )


def with_last_visit(queryset):
    """Annotate ``last_visit_at`` (the latest visit's time) with one correlated subquery."""
    latest = (
        Visit.objects.filter(care_object=OuterRef("pk"))
        .order_by()
        .values("care_object")
        .annotate(m=Max("visited_at"))
        .values("m")
    )
    return queryset.annotate(last_visit_at=Subquery(latest))


def with_cadence(queryset):
    """Annotate ``town_cadence`` (the town's own days for the kind, or None) in the same query."""
    own = VisitCadence.objects.filter(
        town_id=OuterRef("grid__region__parent_id"), kind=OuterRef("kind")
    ).values("days")[:1]
    return queryset.annotate(town_cadence=Subquery(own))


def _last_visit_at(care_object):
    if hasattr(care_object, "last_visit_at"):
        return care_object.last_visit_at
    return care_object.visits.aggregate(m=Max("visited_at"))["m"]


def visit_state(care_object, today, *, cadence=None):
    """When ``care_object`` is next due and whether it is overdue on ``today``."""
    if cadence is None and hasattr(care_object, "town_cadence"):
        cadence = care_object.town_cadence or DEFAULT_CADENCE_DAYS[care_object.kind]
    if cadence is None:
        cadence = cadence_days(care_object)
    return state_from(_last_visit_at(care_object), care_object.created_at, cadence, today)


def states(care_objects, today):
    """``[(care_object, VisitState)]`` for an annotated (``with_last_visit``) iterable."""
    care_objects = list(care_objects)
    table = cadence_table(town_id_of(c) for c in care_objects)
    return [
        (c, visit_state(c, today, cadence=cadence_for(town_id_of(c), c.kind, table)))
        for c in care_objects
    ]


def _urgency(item):
    care_object, state = item
    return (
        not state.overdue_twice,
        not state.overdue,
        state.due_on,
        care_object.name,
        care_object.pk,
    )


def due_states(care_objects, today):
    """The items of ``states`` due on or before ``today``, most urgent first."""
    due = [item for item in states(care_objects, today) if item[1].due_on <= today]
    return sorted(due, key=_urgency)


def visits_due(user, today):
    """Active care objects the user may see that are due today or overdue, overdue first."""
    objects = with_last_visit(visible_care_objects(user).filter(active=True))
    return due_states(objects, today)


# --- visits -------------------------------------------------------------------------


def _check_token(client_token):
    if client_token is None:
        return None
    token = str(client_token).strip()
    if not token:
        return None
    if not CLIENT_TOKEN_RE.match(token):
        raise CareRuleError({"client_token": "提交标识无效，请刷新页面后重试"})
    return token


def _existing_visit(token, user, care_object):
    existing = Visit.objects.filter(client_token=token).first()
    if existing is None:
        return None
    if existing.care_object_id != care_object.pk or existing.worker_id != user.pk:
        raise CareRuleError({"client_token": "该提交标识已用于其他走访记录，请刷新页面后重试"})
    return existing


def record_visit(
    user,
    care_object,
    *,
    visited_at=None,
    found_well=True,
    needs="",
    follow_up="",
    client_token=None,
):
    """Record a visit; returns ``(visit, created)``.

    A phone resending an offline draft sends the same ``client_token``: it gets
    the visit the first submission made (``created=False``), never a second one.
    """
    _check_grid(user, care_object.grid, "care.add_visit", "您没有登记走访记录的权限")
    token = _check_token(client_token)
    if token:
        existing = _existing_visit(token, user, care_object)
        if existing is not None:
            return existing, False
    if not care_object.active:
        raise CareRuleError(f"“{care_object.name}”已不在册，不能登记走访")
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now + FUTURE_TOLERANCE:
        raise CareRuleError({"visited_at": "走访时间不能晚于当前时间"})
    needs, follow_up = (needs or "").strip(), (follow_up or "").strip()
    if not found_well and not (needs or follow_up):
        raise CareRuleError({"needs": "情况异常时，请填写发现的需求或后续跟进措施"})
    visit = Visit(
        care_object=care_object,
        worker=user,
        visited_at=visited_at,
        found_well=bool(found_well),
        needs=needs,
        follow_up=follow_up,
        client_token=token,
    )
    try:
        with transaction.atomic():
            visit.save(force_insert=True)
    except IntegrityError:
        # A racing resend of the same draft won: hand back its visit.
        if token:
            existing = _existing_visit(token, user, care_object)
            if existing is not None:
                return existing, False
        raise
    return visit, True


def raise_case_from_visit(user, visit, *, category, title, description):
    """Turn a need found on a visit into a case (through ``create_case``) and link it.

    The case belongs to the care object's grid and is reported by ``user`` as a
    grid worker's report; the person's name, phone and address are not copied
    into it (whatever the worker types is their choice). A visit becomes at most
    one case.
    """
    from portal.cases.services import create_case

    check_care_object(user, visit.care_object, "care.add_visit")
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.case_id:
            raise CareRuleError(f"该走访记录已转为案件 {locked.case.number}，不能重复转办")
        case = create_case(
            user=user,
            category=category,
            title=title,
            description=description,
            source=Case.Source.GRID_WORKER,
            grid=visit.care_object.grid,
        )
        locked.case = case
        locked.save(update_fields=["case"])
    visit.case = case
    return case


# --- rounds -------------------------------------------------------------------------


def _existing_round(token, user, grid):
    existing = Round.objects.filter(client_token=token).first()
    if existing is None:
        return None
    if existing.grid_id != grid.pk or existing.worker_id != user.pk:
        raise CareRuleError({"client_token": "该提交标识已用于其他巡查记录，请刷新页面后重试"})
    return existing


def start_round(user, grid, *, client_token=None):
    """Start today's round of ``grid``; returns ``(round, created)``.

    One round per worker, grid and local day: starting again (a second tap, a
    resent draft) returns the round already started (``created=False``).
    """
    _check_grid(user, grid, "care.add_round", "您没有登记巡查的权限")
    token = _check_token(client_token)
    if token:
        existing = _existing_round(token, user, grid)
        if existing is not None:
            return existing, False
    now = timezone.now()
    today = timezone.localtime(now).date()
    existing = Round.objects.filter(worker=user, grid=grid, date=today).first()
    if existing is not None:
        return existing, False
    patrol = Round(grid=grid, worker=user, date=today, started_at=now, client_token=token)
    try:
        with transaction.atomic():
            patrol.save(force_insert=True)
    except IntegrityError:
        existing = Round.objects.filter(worker=user, grid=grid, date=today).first()
        if existing is None and token:
            existing = _existing_round(token, user, grid)
        if existing is None:
            raise
        return existing, False
    return patrol, True


def finish_round(user, round, *, notes=""):
    """Finish the user's own round, with what they saw."""
    _check_grid(user, round.grid, "care.add_round", "您没有登记巡查的权限")
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.worker_id != user.pk:
            raise CareRuleError("只能结束本人的巡查")
        if locked.finished_at is not None:
            at = timezone.localtime(locked.finished_at)
            raise CareRuleError(f"该巡查已于 {at:%H:%M} 结束")
        locked.finished_at = timezone.now()
        notes = (notes or "").strip()
        if notes:
            locked.notes = notes
        locked.save(update_fields=["finished_at", "notes"])
    round.finished_at, round.notes = locked.finished_at, locked.notes
    return round


def todays_round(user, grid, today):
    """The user's round of ``grid`` on ``today``, or None."""
    _check_grid(user, grid, "care.view_round", "您没有查看巡查记录的权限")
    return Round.objects.filter(worker=user, grid=grid, date=today).first()


def round_cases(round):
    """Cases the round's worker registered for its grid while the round was on."""
    cases = Case.objects.filter(
        grid_id=round.grid_id, discoverer_id=round.worker_id, reported_at__gte=round.started_at
    )
    if round.finished_at is not None:
        cases = cases.filter(reported_at__lte=round.finished_at)
    return cases


# --- ID numbers ---------------------------------------------------------------------


def id_number_taken(number, exclude_pk=None):
    """True if another care object is registered with this ID number (by its keyed hash)."""
    others = CareObject.objects.filter(id_number_hash=pii.hash_id_number(number))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def id_number_problem(raw_number, exclude_pk=None):
    """Chinese refusal for giving a care object this ID number (GB 11643, not yet registered)."""
    problem = pii.id_number_problem(raw_number)
    if problem:
        return problem
    number = pii.normalise_id_number(raw_number)
    if id_number_taken(number, exclude_pk=exclude_pk):
        return f"该身份证号（{pii.mask_id_number(number)}）已登记为关爱对象，不能重复登记"
    return None


def seal_id_number(care_object, raw_number):
    """Store an already validated ID number sealed (ciphertext, lookup hash, masked copy)."""
    for field, value in pii.sealed_id_fields(raw_number).items():
        setattr(care_object, field, value)
    return care_object


def assign_id_number(care_object, raw_number):
    """Validate and seal; raises ``CareRuleError`` and changes nothing on bad input. No save."""
    problem = id_number_problem(raw_number, exclude_pk=care_object.pk)
    if problem:
        raise CareRuleError({"id_number": problem})
    return seal_id_number(care_object, raw_number)


def full_id_number(care_object):
    """Decrypt the stored ID number. Callers check the permission and log the view."""
    return pii.decrypt_id_number(care_object.id_number_encrypted)
