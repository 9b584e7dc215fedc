"""The compliance computation as a pure function: table-driven, no database, no clock."""

import datetime

import pytest

from portal.pages.disclosures import compliance as c

D = datetime.date


def village(id=1, name="东湖社区", **fields):
    return c.Subject(id=id, name=name, **fields)


JAN_1 = D(2026, 1, 1)


def item(frequency, due_day, active_from=JAN_1, id=10, **fields):
    return c.CatalogEntry(
        id=id, name="事项", frequency=frequency, due_day=due_day, active_from=active_from, **fields
    )


def published(on, year, number, region_id=1, item_id=10, id=100, matter_date=None):
    return c.PublishedDisclosure(
        id=id,
        region_id=region_id,
        catalog_item_id=item_id,
        year=year,
        period_number=number,
        published_on=on,
        matter_date=matter_date,
    )


def status_of(entries, year, number):
    [entry] = [e for e in entries if (e.period.year, e.period.number) == (year, number)]
    return entry.status, entry.due


@pytest.mark.parametrize(
    ("frequency", "due_day", "year", "number", "published_on", "today", "status", "due"),
    [
        # monthly: due on the 10th of the next month
        ("month", 10, 2026, 10, D(2026, 11, 10), D(2026, 11, 30), c.ON_TIME, D(2026, 11, 10)),
        ("month", 10, 2026, 10, D(2026, 11, 11), D(2026, 11, 30), c.LATE, D(2026, 11, 10)),
        ("month", 10, 2026, 10, None, D(2026, 11, 11), c.MISSING, D(2026, 11, 10)),
        ("month", 10, 2026, 10, None, D(2026, 11, 10), c.PENDING, D(2026, 11, 10)),
        ("month", 10, 2026, 10, D(2026, 10, 31), D(2026, 11, 30), c.ON_TIME, D(2026, 11, 10)),
        # December → January of the next year
        ("month", 10, 2026, 12, D(2027, 1, 10), D(2027, 2, 1), c.ON_TIME, D(2027, 1, 10)),
        ("month", 10, 2026, 12, D(2027, 1, 11), D(2027, 2, 1), c.LATE, D(2027, 1, 10)),
        ("month", 10, 2026, 12, None, D(2027, 1, 11), c.MISSING, D(2027, 1, 10)),
        # due_day 31 clamped to the end of a shorter month
        ("month", 31, 2026, 1, D(2026, 2, 28), D(2026, 3, 31), c.ON_TIME, D(2026, 2, 28)),
        ("month", 31, 2026, 1, D(2026, 3, 1), D(2026, 3, 31), c.LATE, D(2026, 2, 28)),
        ("month", 31, 2028, 1, D(2028, 2, 29), D(2028, 3, 31), c.ON_TIME, D(2028, 2, 29)),
        ("month", 31, 2026, 3, None, D(2026, 4, 30), c.PENDING, D(2026, 4, 30)),
        ("month", 31, 2026, 3, None, D(2026, 5, 1), c.MISSING, D(2026, 4, 30)),
        # quarterly: the 20th of the quarter's first month
        ("quarter", 20, 2026, 1, D(2026, 4, 20), D(2026, 6, 1), c.ON_TIME, D(2026, 4, 20)),
        ("quarter", 20, 2026, 3, D(2026, 10, 21), D(2026, 11, 1), c.LATE, D(2026, 10, 20)),
        ("quarter", 20, 2026, 3, None, D(2026, 10, 20), c.PENDING, D(2026, 10, 20)),
        ("quarter", 20, 2026, 3, None, D(2026, 10, 21), c.MISSING, D(2026, 10, 20)),
        # Q4 → January of the next year
        ("quarter", 20, 2026, 4, D(2027, 1, 20), D(2027, 2, 1), c.ON_TIME, D(2027, 1, 20)),
        ("quarter", 20, 2026, 4, D(2027, 1, 21), D(2027, 2, 1), c.LATE, D(2027, 1, 20)),
        ("quarter", 20, 2026, 4, None, D(2026, 12, 31), c.PENDING, D(2027, 1, 20)),
        ("quarter", 31, 2026, 1, None, D(2026, 5, 1), c.MISSING, D(2026, 4, 30)),
        # annual: January of the next year
        ("year", 20, 2026, 0, D(2027, 1, 20), D(2027, 3, 1), c.ON_TIME, D(2027, 1, 20)),
        ("year", 20, 2026, 0, D(2027, 1, 25), D(2027, 3, 1), c.LATE, D(2027, 1, 20)),
        ("year", 20, 2026, 0, None, D(2027, 1, 21), c.MISSING, D(2027, 1, 20)),
    ],
)
def test_periodic_status(frequency, due_day, year, number, published_on, today, status, due):
    disclosures = []
    if published_on is not None:
        disclosures = [published(published_on, year, number or None)]
    entries = c.evaluate([village()], [item(frequency, due_day)], disclosures, today)
    assert status_of(entries, year, number) == (status, due)


@pytest.mark.parametrize(
    ("matter", "due_day", "published_on", "status", "due"),
    [
        (D(2026, 3, 5), 7, D(2026, 3, 12), c.ON_TIME, D(2026, 3, 12)),
        (D(2026, 3, 5), 7, D(2026, 3, 13), c.LATE, D(2026, 3, 12)),
        (D(2026, 3, 5), 0, D(2026, 3, 5), c.ON_TIME, D(2026, 3, 5)),
        (D(2026, 12, 28), 7, D(2027, 1, 4), c.ON_TIME, D(2027, 1, 4)),
        (D(2026, 12, 28), 7, D(2027, 1, 5), c.LATE, D(2027, 1, 4)),
    ],
)
def test_immediate_items_are_judged_per_published_disclosure(
    matter, due_day, published_on, status, due
):
    disclosure = published(published_on, matter.year, None, matter_date=matter)
    entries = c.evaluate([village()], [item("immediate", due_day)], [disclosure], D(2027, 6, 1))
    [entry] = entries
    assert (entry.status, entry.due, entry.disclosure) == (status, due, disclosure)
    assert entry.period.label == f"{matter.year}年{matter.month}月{matter.day}日事项"


def test_immediate_item_is_never_missing_without_disclosures():
    assert c.evaluate([village()], [item("immediate", 7)], [], D(2027, 6, 1)) == []


def test_periods_run_from_active_from_up_to_today_including_the_current_one():
    entries = c.evaluate(
        [village()], [item("month", 10, active_from=D(2026, 2, 15))], [], D(2026, 5, 3)
    )
    assert [e.period.label for e in entries] == ["2026年2月", "2026年3月", "2026年4月", "2026年5月"]
    assert [e.status for e in entries] == [c.MISSING, c.MISSING, c.PENDING, c.PENDING]


def test_nothing_is_due_before_the_item_becomes_active():
    assert c.evaluate([village()], [item("quarter", 20, D(2027, 1, 1))], [], D(2026, 12, 1)) == []


def test_village_counts_only_in_periods_it_exists():
    merged = village(effective_from=D(2026, 3, 10), effective_until=D(2026, 5, 1))
    entries = c.evaluate([merged], [item("month", 10)], [], D(2026, 7, 15))
    assert [e.period.label for e in entries] == ["2026年3月", "2026年4月"]


def test_catalog_scope_empty_means_every_village_and_a_list_means_only_those():
    a, b = village(1, "东湖社区"), village(2, "西岭村")
    town = village(3, "青石街道", level="town")
    for_all = item("year", 20, id=10)
    for_b_and_town = item("year", 20, id=11, region_ids=frozenset({2, 3}))
    entries = c.evaluate([a, b, town], [for_all, for_b_and_town], [], D(2026, 6, 1))
    pairs = {(e.subject.name, e.item.id) for e in entries}
    assert pairs == {("东湖社区", 10), ("西岭村", 10), ("西岭村", 11), ("青石街道", 11)}


def test_the_earliest_of_several_disclosures_for_a_period_counts():
    later = published(D(2026, 4, 25), 2026, 1, id=1)
    earlier = published(D(2026, 4, 18), 2026, 1, id=2)
    entries = c.evaluate([village()], [item("quarter", 20)], [later, earlier], D(2026, 5, 1))
    assert status_of(entries, 2026, 1) == (c.ON_TIME, D(2026, 4, 20))
    assert entries[0].disclosure.id == 2


def test_a_disclosure_of_another_village_or_item_does_not_count():
    other_village = published(D(2026, 4, 1), 2026, 1, region_id=2)
    other_item = published(D(2026, 4, 1), 2026, 1, item_id=99)
    entries = c.evaluate(
        [village()], [item("quarter", 20)], [other_village, other_item], D(2026, 5, 1)
    )
    assert status_of(entries, 2026, 1) == (c.MISSING, D(2026, 4, 20))


def test_overdue_days():
    entries = c.evaluate(
        [village()],
        [item("month", 10, id=10), item("month", 10, id=11)],
        [published(D(2026, 2, 13), 2026, 1, item_id=11)],
        D(2026, 2, 20),
    )
    by_item = {(e.item.id, e.period.number): e for e in entries}
    assert by_item[(10, 1)].overdue_days(D(2026, 2, 20)) == 10  # missing since 10 Feb
    assert by_item[(11, 1)].overdue_days(D(2026, 2, 20)) == 3  # published 3 days late


def test_summary_and_on_time_rate():
    entries = c.evaluate(
        [village()],
        [item("month", 10)],
        [published(D(2026, 2, 5), 2026, 1, id=1), published(D(2026, 3, 15), 2026, 2, id=2)],
        D(2026, 4, 20),
    )
    [summary] = c.summarise(entries, [village()])
    assert summary.counts == {c.ON_TIME: 1, c.LATE: 1, c.MISSING: 1, c.PENDING: 1}
    assert summary.on_time_rate == 33


def test_matrix_keeps_the_latest_periods_oldest_first():
    subjects, items = [village()], [item("month", 10)]
    entries = c.evaluate(subjects, items, [], D(2026, 12, 1))
    [section] = c.matrix(subjects, items, entries, recent={"month": 3})
    [row] = section.rows
    assert [cell.period.label for cell in row.cells] == ["2026年10月", "2026年11月", "2026年12月"]
    assert section.summary.counts[c.MISSING] == 10  # the summary counts every period


@pytest.mark.parametrize(
    ("frequency", "day", "label", "start", "end"),
    [
        ("month", D(2026, 2, 14), "2026年2月", D(2026, 2, 1), D(2026, 2, 28)),
        ("quarter", D(2026, 8, 14), "2026年第3季度", D(2026, 7, 1), D(2026, 9, 30)),
        ("quarter", D(2026, 12, 31), "2026年第4季度", D(2026, 10, 1), D(2026, 12, 31)),
        ("year", D(2026, 8, 14), "2026年度", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_period_containing(frequency, day, label, start, end):
    period = c.period_containing(frequency, day)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_period_stepping_across_the_year_end():
    assert c.Period(2026, 12, "month").following() == c.Period(2027, 1, "month")
    assert c.Period(2027, 1, "month").preceding() == c.Period(2026, 12, "month")
    assert c.Period(2026, 4, "quarter").following() == c.Period(2027, 1, "quarter")
    assert c.Period(2027, 1, "quarter").preceding() == c.Period(2026, 4, "quarter")
