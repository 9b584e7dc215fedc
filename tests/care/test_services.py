"""The care services: scope, cadence and overdue boundaries, once-only visits and rounds."""

import datetime

import pytest
from django.utils import timezone

from portal.care import services
from portal.care.models import DEFAULT_CADENCE_DAYS, CareObject, Round, Visit, VisitCadence
from portal.care.services import CareRuleError, CareScopeError
from portal.cases.models import Case

from .conftest import local, make_care_object

Kind = CareObject.Kind
D = datetime.date


def test_default_cadences_are_one_table():
    assert DEFAULT_CADENCE_DAYS == {
        Kind.ALONE_ELDERLY: 7,
        Kind.EMPTY_NEST: 14,
        Kind.LEFT_BEHIND_CHILD: 14,
        Kind.DISABLED: 14,
        Kind.HARDSHIP: 30,
        Kind.OTHER: 30,
    }
    assert set(DEFAULT_CADENCE_DAYS) == set(Kind)


def test_town_cadence_overrides_default_for_that_town_only(care):
    a = make_care_object(care.grid_a, "甲", 1)
    c = make_care_object(care.grid_c, "丙", 2)
    VisitCadence.objects.create(town=care.town_a, kind=Kind.ALONE_ELDERLY, days=3)
    assert services.cadence_days(a) == 3
    assert services.cadence_days(c) == 7


# (kind, last visit local date, today, due_on, overdue, overdue_twice)
OVERDUE_TABLE = [
    (Kind.ALONE_ELDERLY, D(2026, 11, 1), D(2026, 11, 7), D(2026, 11, 8), False, False),
    (Kind.ALONE_ELDERLY, D(2026, 11, 1), D(2026, 11, 8), D(2026, 11, 8), False, False),
    (Kind.ALONE_ELDERLY, D(2026, 11, 1), D(2026, 11, 9), D(2026, 11, 8), True, False),
    (Kind.ALONE_ELDERLY, D(2026, 11, 1), D(2026, 11, 15), D(2026, 11, 8), True, False),
    (Kind.ALONE_ELDERLY, D(2026, 11, 1), D(2026, 11, 16), D(2026, 11, 8), True, True),
    (Kind.EMPTY_NEST, D(2026, 11, 1), D(2026, 11, 15), D(2026, 11, 15), False, False),
    (Kind.EMPTY_NEST, D(2026, 11, 1), D(2026, 11, 16), D(2026, 11, 15), True, False),
    (Kind.EMPTY_NEST, D(2026, 11, 1), D(2026, 11, 29), D(2026, 11, 15), True, False),
    (Kind.EMPTY_NEST, D(2026, 11, 1), D(2026, 11, 30), D(2026, 11, 15), True, True),
    (Kind.HARDSHIP, D(2026, 11, 1), D(2026, 12, 1), D(2026, 12, 1), False, False),
    (Kind.HARDSHIP, D(2026, 11, 1), D(2026, 12, 2), D(2026, 12, 1), True, False),
    (Kind.HARDSHIP, D(2026, 11, 1), D(2027, 1, 1), D(2026, 12, 1), True, True),
]


@pytest.mark.parametrize("kind,last,today,due_on,overdue,twice", OVERDUE_TABLE)
def test_overdue_boundaries(care, kind, last, today, due_on, overdue, twice):
    person = make_care_object(care.grid_a, "甲", 1, kind=kind, created_at=local(2026, 1, 1))
    # late in the local evening: the local date counts, not the UTC one
    Visit.objects.create(
        care_object=person, worker=care.worker_a, visited_at=local(*last.timetuple()[:3], 23, 30)
    )
    state = services.visit_state(person, today)
    assert (state.due_on, state.overdue, state.overdue_twice) == (due_on, overdue, twice)


def test_never_visited_counts_from_registration(care):
    person = make_care_object(care.grid_a, "甲", 1, created_at=local(2026, 11, 1, 8))
    assert services.visit_state(person, D(2026, 11, 8)).overdue is False
    state = services.visit_state(person, D(2026, 11, 9))
    assert state.last_visit_at is None and state.overdue


def test_visits_due_lists_due_and_overdue_most_urgent_first(care):
    reg = local(2026, 10, 1)
    twice = make_care_object(care.grid_a, "两期", 1, created_at=reg)
    once = make_care_object(care.grid_a, "一期", 2, created_at=reg)
    today_due = make_care_object(care.grid_a, "今天", 3, created_at=reg)
    fine = make_care_object(care.grid_a, "未到期", 4, created_at=reg)
    make_care_object(care.grid_a, "注销", 5, created_at=reg, active=False)
    make_care_object(care.grid_b, "别的网格", 6, created_at=reg)
    for person, day in [(twice, 14), (once, 20), (today_due, 24), (fine, 28)]:
        Visit.objects.create(
            care_object=person, worker=care.worker_a, visited_at=local(2026, 11, day)
        )
    listed = services.visits_due(care.worker_a, D(2026, 12, 1))
    assert [c.name for c, _ in listed] == ["两期", "一期", "今天"]
    assert [(s.overdue, s.overdue_twice) for _, s in listed] == [
        (True, True),
        (True, False),
        (False, False),
    ]


def test_scope_worker_of_grid_a_sees_nothing_of_grid_b(care):
    a = make_care_object(care.grid_a, "甲", 1)
    b = make_care_object(care.grid_b, "乙", 2)
    assert list(services.visible_care_objects(care.worker_a)) == [a]
    assert list(services.visible_care_objects(care.worker_b)) == [b]
    assert list(services.visible_care_objects(care.nobody)) == []
    assert set(services.visible_care_objects(care.town_admin_a)) == {a, b}
    assert list(services.visible_care_objects(care.town_admin_b)) == []
    with pytest.raises(CareScopeError):
        services.record_visit(care.worker_a, b)
    with pytest.raises(CareScopeError):
        services.start_round(care.worker_a, care.grid_b)
    with pytest.raises(CareScopeError):
        services.todays_round(care.worker_a, care.grid_b, timezone.localdate())
    services.record_visit(care.worker_b, b)
    assert list(services.visible_visits(care.worker_a)) == []
    assert Visit.objects.count() == 1


def test_record_visit_once_per_client_token(care):
    person = make_care_object(care.grid_a, "甲", 1)
    first, created = services.record_visit(
        care.worker_a, person, found_well=False, needs="屋顶漏雨", client_token="draft-0001"
    )
    again, created_again = services.record_visit(
        care.worker_a, person, found_well=False, needs="屋顶漏雨", client_token="draft-0001"
    )
    assert created and not created_again and again.pk == first.pk
    assert Visit.objects.count() == 1
    other = make_care_object(care.grid_a, "乙", 2)
    with pytest.raises(CareRuleError):
        services.record_visit(care.worker_a, other, client_token="draft-0001")


def test_record_visit_rules(care):
    person = make_care_object(care.grid_a, "甲", 1)
    with pytest.raises(CareRuleError, match="需求或后续跟进"):
        services.record_visit(care.worker_a, person, found_well=False)
    with pytest.raises(CareRuleError, match="不能晚于当前时间"):
        services.record_visit(
            care.worker_a, person, visited_at=timezone.now() + datetime.timedelta(hours=1)
        )
    person.active = False
    person.save()
    with pytest.raises(CareRuleError, match="不在册"):
        services.record_visit(care.worker_a, person)
    assert Visit.objects.count() == 0


def test_raise_case_from_visit_links_the_case_once(care):
    person = make_care_object(care.grid_a, "甲", 1)
    visit, _ = services.record_visit(care.worker_a, person, found_well=False, needs="需要助餐")
    case = services.raise_case_from_visit(
        care.worker_a, visit, category=care.category, title="老人需要助餐", description="需要助餐"
    )
    visit.refresh_from_db()
    assert visit.case == case
    assert case.grid == care.grid_a and case.source == Case.Source.GRID_WORKER
    assert case.discoverer == care.worker_a
    assert person.name not in case.title + case.description + case.place
    with pytest.raises(CareRuleError, match="已转为案件"):
        services.raise_case_from_visit(
            care.worker_a, visit, category=care.category, title="再来", description="再来"
        )
    assert Case.objects.count() == 1


def test_rounds_one_per_worker_grid_day(care):
    patrol, created = services.start_round(care.worker_a, care.grid_a, client_token="round-0001")
    again, created_again = services.start_round(care.worker_a, care.grid_a)
    assert created and not created_again and again.pk == patrol.pk
    assert patrol.date == timezone.localdate()
    assert services.todays_round(care.worker_a, care.grid_a, timezone.localdate()) == patrol
    with pytest.raises(CareRuleError, match="本人"):
        services.finish_round(care.town_admin_a, patrol)
    services.finish_round(care.worker_a, patrol, notes="路灯损坏一处")
    patrol.refresh_from_db()
    assert patrol.finished_at is not None and patrol.notes == "路灯损坏一处"
    with pytest.raises(CareRuleError, match="已于"):
        services.finish_round(care.worker_a, patrol)
    assert Round.objects.count() == 1


def test_round_cases_are_those_reported_during_the_round(care):
    from portal.cases.services import create_case

    patrol, _ = services.start_round(care.worker_a, care.grid_a)
    during = create_case(
        user=care.worker_a,
        category=care.category,
        title="井盖缺失",
        description="井盖缺失",
        source=Case.Source.GRID_WORKER,
        grid=care.grid_a,
    )
    services.finish_round(care.worker_a, patrol)
    create_case(
        user=care.worker_a,
        category=care.category,
        title="之后",
        description="之后",
        source=Case.Source.GRID_WORKER,
        grid=care.grid_a,
        reported_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert list(services.round_cases(patrol)) == [during]
