"""The demo cases: enough of everything, consistent histories, idempotent, nothing private public."""

import io

import pytest

from demo import cases as demo
from portal.cases.models import Case, CaseCategory, CaseEvent
from portal.cases.services import case_state_problems, public_summary_problems


@pytest.fixture
def loaded(tree):
    out = io.StringIO()
    demo.load(out)
    return out.getvalue()


def test_demo_covers_every_status_category_and_source(loaded):
    assert Case.objects.count() >= 500
    assert CaseCategory.objects.count() >= 8
    assert CaseCategory.objects.filter(is_dispute=True).count() >= 1
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert set(Case.objects.values_list("source", flat=True)) == set(Case.Source.values)
    assert set(Case.objects.values_list("category__code", flat=True)) == set(
        CaseCategory.objects.values_list("code", flat=True)
    )
    assert any(case.is_overdue for case in Case.objects.all())
    assert Case.objects.exclude(tier="grid").exists()
    assert Case.objects.filter(is_public=True).count() >= 20
    assert "案件：" in loaded


def test_demo_histories_replay_to_the_stored_state(loaded):
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.all())
        assert events[0].action == CaseEvent.Action.CREATE
        status = ""
        for before, after in zip(events, events[1:], strict=False):
            assert before.at <= after.at
        for event in events:
            assert event.from_status == status, case.number
            status = event.to_status
        assert status == case.status, case.number
        assert events[-1].to_tier == case.tier
        assert case.village_id == case.grid.region_id
        assert not case_state_problems(case.status, case.resolution, case.satisfaction)
        if case.status == "rated":
            assert [e.action for e in events if e.action in ("close", "visit", "rate")] == [
                "close",
                "visit",
                "rate",
            ]
        if case.category.is_dispute and case.is_closed:
            assert case.mediated is not None


def test_demo_public_summaries_carry_no_reporter_data(loaded):
    reporters = list(
        Case.objects.exclude(reporter_name="").values_list("reporter_name", "reporter_phone")
    )
    assert len(reporters) > 100
    summaries = " ".join(
        Case.objects.filter(is_public=True).values_list("public_summary", flat=True)
    )
    for name, phone in reporters:
        assert name not in summaries and phone not in summaries
    for case in Case.objects.filter(is_public=True):
        assert not public_summary_problems(
            True, case.public_summary, case.reporter_name, case.reporter_phone
        )


def test_demo_is_idempotent(loaded):
    before = (Case.objects.count(), CaseEvent.objects.count(), CaseCategory.objects.count())
    out = io.StringIO()
    demo.load(out)
    assert "已存在，跳过" in out.getvalue()
    after = (Case.objects.count(), CaseEvent.objects.count(), CaseCategory.objects.count())
    assert before == after


def test_demo_without_grids_creates_only_categories(db):
    out = io.StringIO()
    demo.load(out)
    assert CaseCategory.objects.count() >= 8 and not Case.objects.exists()
    assert "没有网格" in out.getvalue()
