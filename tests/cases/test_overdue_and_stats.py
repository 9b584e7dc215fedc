"""Overdue cases and the statistics (办结率, 化解率, 满意率) on known data."""

import datetime

import pytest
from django.utils import timezone

from portal.cases import services, stats
from portal.cases.models import Case
from portal.cases.queries import annotate_overdue, not_overdue, overdue

from .helpers import walk


def _at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def test_overdue_means_past_deadline_and_not_closed(make_case, users, categories):
    # sanitation: 7 days. Reported 10 days before "now".
    now = _at(2025, 3, 20)
    late_open = make_case(reported_at=_at(2025, 3, 10), title="超期未办")
    late_closed = walk(
        make_case(reported_at=_at(2025, 3, 10), title="超期已办结"),
        users.donghu2,
        "dispatch",
        "handle",
        "close",
    )
    in_time = make_case(reported_at=_at(2025, 3, 18), title="期限内")
    dispute = make_case(reported_at=_at(2025, 3, 10), category=categories.dispute)  # 30 days

    qs = Case.objects.all()
    assert set(overdue(qs, now)) == {late_open}
    assert set(not_overdue(qs, now)) == {late_closed, in_time, dispute}
    flags = dict(annotate_overdue(qs, now).values_list("title", "overdue_flag"))
    assert flags["超期未办"] is True
    assert flags["超期已办结"] is False
    assert flags["期限内"] is False
    # The model property agrees for the current time (these dates are long past).
    assert late_open.is_overdue and not late_closed.is_overdue


@pytest.fixture
def march(make_case, users, categories):
    """Seven cases reported in March 2025, one in April, in known states."""
    m = _at(2025, 3, 5)
    sanitation, dispute = categories.sanitation, categories.dispute
    rated_good = walk(
        make_case(reported_at=m), users.donghu2, "dispatch", "handle", "close", "visit"
    )
    services.transition(rated_good, "rate", users.donghu2, satisfaction="satisfied")
    rated_basic = walk(
        make_case(reported_at=m), users.donghu2, "dispatch", "handle", "close", "visit"
    )
    services.transition(rated_basic, "rate", users.donghu2, satisfaction="basic")
    rated_bad = walk(
        make_case(reported_at=m), users.donghu2, "dispatch", "handle", "close", "visit"
    )
    services.transition(rated_bad, "rate", users.donghu2, satisfaction="unsatisfied")
    walk(make_case(reported_at=m, category=dispute), users.donghu2, "dispatch", "handle")
    d_ok = walk(make_case(reported_at=m, category=dispute), users.donghu2, "dispatch", "handle")
    services.transition(d_ok, "close", users.donghu2, resolution="调解成功", mediated=True)
    d_fail = walk(make_case(reported_at=m, category=dispute), users.donghu2, "dispatch", "handle")
    services.transition(d_fail, "close", users.donghu2, resolution="未达成协议", mediated=False)
    make_case(reported_at=m, category=sanitation)  # accepted, long overdue
    make_case(reported_at=_at(2025, 4, 2), category=dispute)  # another month
    return Case.objects.all()


def test_case_statistics_for_a_month(march):
    result = stats.case_statistics(march, month="2025-03")
    assert result["month"] == "2025-03"
    assert result["total"] == 7
    assert result["by_status"] == {
        "accepted": 1,
        "dispatched": 0,
        "handling": 1,
        "closed": 2,
        "visited": 0,
        "rated": 3,
    }
    assert result["by_category"] == [
        {"id": result["by_category"][0]["id"], "name": "环境卫生", "count": 4},
        {"id": result["by_category"][1]["id"], "name": "矛盾纠纷", "count": 3},
    ]
    assert result["closed"] == 5
    assert result["closure_rate"] == round(5 / 7, 4)
    # Two dispute cases closed, one mediated; the open dispute case is not counted.
    assert (result["dispute_closed"], result["mediated"]) == (2, 1)
    assert result["mediation_rate"] == 0.5
    assert (result["rated"], result["satisfied"], result["basically_satisfied"]) == (3, 1, 1)
    assert result["unsatisfied"] == 1
    assert result["satisfaction_rate"] == round(2 / 3, 4)
    # Overdue (as of now): the accepted sanitation case and the handling dispute case
    # (30 days from 2025-03-05 is long past).
    assert result["overdue"] == 2


def test_case_statistics_without_month_and_rates_without_data(march, tree):
    everything = stats.case_statistics(march)
    assert everything["total"] == 8 and everything["month"] is None
    assert everything["overdue"] == 3
    empty = stats.case_statistics(march.filter(village=tree.xiling))
    assert empty["total"] == 0
    assert empty["closure_rate"] is None
    assert empty["mediation_rate"] is None
    assert empty["satisfaction_rate"] is None


def test_case_statistics_month_forms_and_bad_month(march):
    assert stats.case_statistics(march, month=(2025, 4))["total"] == 1
    assert stats.case_statistics(march, month=datetime.date(2025, 3, 31))["total"] == 7
    with pytest.raises(ValueError, match="应为 YYYY-MM"):
        stats.case_statistics(march, month="三月")
    with pytest.raises(ValueError, match="月份应在1到12之间"):
        stats.case_statistics(march, month="2025-13")


def test_month_boundaries_use_local_time(make_case):
    # 2025-03-31 23:30 in Shanghai is 15:30 UTC: still March locally.
    make_case(reported_at=_at(2025, 3, 31, 23))
    make_case(reported_at=_at(2025, 4, 1, 0))
    qs = Case.objects.all()
    assert stats.case_statistics(qs, month="2025-03")["total"] == 1
    assert stats.case_statistics(qs, month="2025-04")["total"] == 1


def test_monthly_counts_by_village_dense(make_case, users, tree):
    today = datetime.date(2025, 4, 15)
    make_case(reported_at=_at(2025, 2, 3))
    closed = make_case(reported_at=_at(2025, 4, 1))
    walk(closed, users.donghu2, "dispatch", "handle", "close")
    make_case(reported_at=_at(2025, 4, 9), grid=tree.grids.xiling, user=users.town)
    make_case(reported_at=_at(2024, 12, 31))  # before the window

    result = stats.monthly_counts(Case.objects.all(), months=3, today=today)
    assert result["months"] == ["2025-02", "2025-03", "2025-04"]
    assert result["villages"] == [
        {"id": tree.donghu.pk, "name": "东湖社区", "counts": [1, 0, 1], "closed": [0, 0, 1]},
        {"id": tree.xiling.pk, "name": "西岭村", "counts": [0, 0, 1], "closed": [0, 0, 0]},
    ]
    with pytest.raises(ValueError):
        stats.monthly_counts(Case.objects.all(), months=0)


def test_last_months_crosses_the_year():
    assert stats.last_months(3, datetime.date(2025, 2, 1)) == [(2024, 12), (2025, 1), (2025, 2)]
