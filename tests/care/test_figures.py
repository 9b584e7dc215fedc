"""Monthly figures and the 星级网格 ranking against values worked out by hand.

November 2026 (30 days), computed on 1 December. Town A weights: 巡查10, 走访40,
上报10, 按期办结30, 满意10.

Grid A (东湖): rounds on 1–15 Nov by worker_a (15 days) plus root's on 1 Nov →
16 rounds, 15 days, part 15/30 = 0.5.
  P1 独居老人 (7): due 30//7 = 4, visited 2, 9, 16, 23, 30 → done 5, counted 4.
  P2 空巢老人 (14): due 30//14 = 2, visited 5 Nov → done 1; due again 19 Nov, overdue on 30 Nov.
  P3 困难家庭 (30), registered 16 Nov: 15 days on the register → due 15//30 = 0.
  → done 6, due 6, completion 5/6, overdue 1.
  Cases: c1, c2, c3 reported by worker_a (网格员上报), c4 from 12345 (not "reported").
  Closed in Nov: c1 on time 满意, c2 late 不满意, c4 on time unrated → 3 closed,
  2 on time (2/3), rated 2, satisfied 1 (1/2).
Grid B (西岭): a round every day (1.0), no care objects (completion: no data), one
case reported (open) → 上报 1/3 of grid A's 3.

Score A = 10×0.5 + 40×5/6 + 10×1 + 30×2/3 + 10×0.5 = 73.3 (three stars).
Score B = (10×1 + 10×1/3) ÷ 20 × 100 = 66.7 (three stars): the parts without
data leave the weighting.
"""

import datetime

import pytest

from portal.care import figures
from portal.care.models import CareObject, GridRankingWeights, Round, Visit
from portal.cases.models import Case
from portal.cases.services import create_case

from .conftest import local, make_care_object

TODAY = datetime.date(2026, 12, 1)


def _case(care, grid, day, *, source=Case.Source.GRID_WORKER, closed=None, satisfaction="", **kw):
    fields = {
        "title": f"事件{day}",
        "description": "描述",
        "category": care.category,
        "source": source,
        "grid": grid,
        "reported_at": local(2026, 11, day, 9),
        **kw,
    }
    if closed:
        fields.update(
            status=Case.Status.RATED if satisfaction else Case.Status.CLOSED,
            resolution="已处理",
            closed_at=local(2026, 11, closed, 17),
            satisfaction=satisfaction,
        )
    return create_case(user=None, **fields)


@pytest.fixture
def november(care):
    GridRankingWeights.objects.create(
        town=care.town_a,
        rounds=10,
        visit_completion=40,
        cases_reported=10,
        closed_on_time=30,
        satisfaction=10,
    )
    for day in range(1, 16):
        Round.objects.create(
            grid=care.grid_a,
            worker=care.worker_a,
            date=datetime.date(2026, 11, day),
            started_at=local(2026, 11, day, 8),
        )
    Round.objects.create(
        grid=care.grid_a,
        worker=care.root,
        date=datetime.date(2026, 11, 1),
        started_at=local(2026, 11, 1, 14),
    )
    for day in range(1, 31):
        Round.objects.create(
            grid=care.grid_b,
            worker=care.worker_b,
            date=datetime.date(2026, 11, day),
            started_at=local(2026, 11, day, 8),
        )
    # a round in October and one in December do not count
    Round.objects.create(grid=care.grid_a, worker=care.worker_a, date=datetime.date(2026, 10, 31))
    reg = local(2026, 10, 1)
    p1 = make_care_object(care.grid_a, "甲", 1, kind=CareObject.Kind.ALONE_ELDERLY, created_at=reg)
    p2 = make_care_object(care.grid_a, "乙", 2, kind=CareObject.Kind.EMPTY_NEST, created_at=reg)
    make_care_object(
        care.grid_a, "丙", 3, kind=CareObject.Kind.HARDSHIP, created_at=local(2026, 11, 16)
    )
    for day in (2, 9, 16, 23, 30):
        Visit.objects.create(
            care_object=p1, worker=care.worker_a, visited_at=local(2026, 11, day, 22)
        )
    Visit.objects.create(care_object=p2, worker=care.worker_a, visited_at=local(2026, 11, 5))
    Visit.objects.create(care_object=p2, worker=care.worker_a, visited_at=local(2026, 10, 20))
    Visit.objects.create(care_object=p1, worker=care.worker_a, visited_at=local(2026, 12, 1, 0, 30))
    a = care.grid_a
    _case(
        care,
        a,
        3,
        closed=10,
        satisfaction=Case.Satisfaction.SATISFIED,
        discoverer=care.worker_a,
        handler=care.worker_b,
    )
    _case(
        care,
        a,
        3,
        closed=20,
        satisfaction=Case.Satisfaction.UNSATISFIED,
        discoverer=care.worker_a,
        handler=care.worker_b,
    )
    _case(care, a, 8, discoverer=care.worker_a)
    _case(care, a, 4, source=Case.Source.HOTLINE, closed=6)
    _case(care, care.grid_b, 12, discoverer=care.worker_b)
    return care


def test_grid_figures_by_hand(november):
    fa, fb = figures.grid_figures([november.grid_a, november.grid_b], 2026, 11, today=TODAY)
    assert (fa.rounds, fa.round_days) == (16, 15)
    assert (fa.visits_done, fa.visits_due, fa.visits_on_cadence) == (6, 6, 5)
    assert (fa.visits_overdue, fa.visits_overdue_twice) == (1, 0)
    assert fa.visit_completion == pytest.approx(5 / 6)
    assert (fa.cases_reported, fa.cases_closed, fa.closed_on_time) == (3, 3, 2)
    assert (fa.rated, fa.satisfied) == (2, 1)
    assert (fb.rounds, fb.round_days, fb.visits_due, fb.cases_reported) == (30, 30, 0, 1)
    assert fb.visit_completion is None and fb.on_time_rate is None


def test_ranking_by_hand(november):
    ranked = figures.grid_ranking(november.town_a, 2026, 11, today=TODAY)
    assert [(r.grid.name, r.score, r.rank, r.stars) for r in ranked] == [
        ("东湖第一网格", 73.3, 1, 3),
        ("西岭第一网格", 66.7, 2, 3),
    ]
    assert ranked[1].parts["cases_reported"] == pytest.approx(1 / 3)
    assert ranked[0].stars_label == "★★★☆☆"


def test_ranking_uses_default_weights_when_the_town_has_none(november):
    GridRankingWeights.objects.all().delete()
    ranked = figures.grid_ranking(november.town_a, 2026, 11, today=TODAY)
    # defaults 20/30/20/20/10: A = (10 + 25 + 20 + 13.33 + 5) = 73.3; B = (20 + 6.67) / 40 = 66.7
    assert [r.score for r in ranked] == [73.3, 66.7]


def test_worker_figures_by_hand(november):
    wa, wb = figures.worker_figures([november.worker_a, november.worker_b], 2026, 11, today=TODAY)
    assert (wa.rounds, wa.round_days, wa.visits_done) == (15, 15, 6)
    assert (wa.visits_due, wa.visits_on_cadence, wa.visits_overdue) == (6, 5, 1)
    assert (wa.cases_reported, wa.cases_closed) == (3, 0)
    assert (wb.rounds, wb.visits_done, wb.visits_due, wb.cases_reported) == (30, 0, 0, 1)
    assert (wb.cases_closed, wb.closed_on_time, wb.rated, wb.satisfied) == (2, 1, 2, 1)


def test_month_in_progress_counts_up_to_today(november):
    (fa,) = figures.grid_figures([november.grid_a], 2026, 11, today=datetime.date(2026, 11, 10))
    # P1: 10 days → due 1, done 2 (2, 9 Nov) → counted 1; P2: due 0; P3 not yet registered
    assert (fa.visits_due, fa.visits_on_cadence, fa.visits_done, fa.round_days) == (1, 1, 3, 10)


def test_future_month_is_refused(care):
    with pytest.raises(figures.FiguresError, match="尚未开始"):
        figures.grid_figures([care.grid_a], 2027, 1, today=TODAY)


def test_ties_share_a_rank(care):
    for grid in (care.grid_a, care.grid_b):
        Round.objects.create(grid=grid, worker=care.root, date=datetime.date(2026, 11, 1))
    ranked = figures.grid_ranking(care.town_a, 2026, 11, today=TODAY)
    assert [r.rank for r in ranked] == [1, 1]
