"""Case numbers come from a per-year counter that also respects numbers written around it."""

import datetime

from django.utils import timezone

from portal.cases import services
from portal.cases.models import Case, CaseNumberSequence


def _at(year):
    return timezone.make_aware(datetime.datetime(year, 6, 1, 9, 0))


def test_numbers_count_up_per_year_of_reporting(make_case):
    first = make_case(reported_at=_at(2023))
    second = make_case(reported_at=_at(2023))
    other_year = make_case(reported_at=_at(2024))
    assert [first.number, second.number, other_year.number] == [
        "AJ2023000001",
        "AJ2023000002",
        "AJ2024000001",
    ]
    assert dict(CaseNumberSequence.objects.values_list("year", "last")) == {2023: 2, 2024: 1}


def test_a_deleted_cases_number_is_never_handed_out_again(make_case, users):
    first = make_case(reported_at=_at(2023))
    second = make_case(reported_at=_at(2023))
    services.delete_case(second, users.root)
    assert make_case(reported_at=_at(2023)).number == "AJ2023000003"
    assert first.number == "AJ2023000001"


def test_numbers_written_in_bulk_outside_the_counter_are_skipped(make_case, users):
    """The importer and the demo loader bulk-insert numbered cases without the counter."""
    made = make_case(reported_at=_at(2023))
    Case.objects.bulk_create(
        [
            Case(
                number="AJ2023000500",
                title="导入的历史案件",
                description="按台账导入",
                category=made.category,
                source="grid_worker",
                grid=made.grid,
                village=made.village,
                reported_at=_at(2023),
                deadline=_at(2023),
            )
        ]
    )
    assert services.next_case_number(2023) == "AJ2023000501"
    assert make_case(reported_at=_at(2023)).number == "AJ2023000501"
    assert make_case(reported_at=_at(2023)).number == "AJ2023000502"


def test_a_batch_reserves_a_consecutive_range(db):
    assert services.reserve_case_numbers(2022, 1000) == 1
    assert services.reserve_case_numbers(2022, 1) == 1001
    assert services.next_case_number(2022) == "AJ2022001002"


def test_the_seven_digit_sequence_after_999999(db):
    CaseNumberSequence.objects.create(year=2021, last=999_999)
    assert services.format_case_number(2021, services.reserve_case_numbers(2021)) == (
        "AJ20211000000"
    )
    assert services.CASE_NUMBER_RE.match("AJ20211000000")
