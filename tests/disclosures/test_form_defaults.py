"""A new disclosure starts with its period, a suggested title and the carried opening balance."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.pages.disclosures.defaults import (
    last_ended_period,
    new_disclosure_initial,
    period_not_ended,
    previous_closing_balance,
    previous_period,
    suggested_title,
)

from .conftest import add_url


@pytest.mark.parametrize(
    ("period_type", "year", "number", "expected"),
    [
        ("quarter", 2026, 3, (2026, 2)),
        ("quarter", 2026, 1, (2025, 4)),  # year boundary Q1 → previous Q4
        ("month", 2026, 1, (2025, 12)),
        ("month", 2026, 7, (2026, 6)),
        ("year", 2026, None, (2025, None)),
        ("immediate", 2026, None, None),
        ("quarter", 2026, 5, None),  # invalid quarter: no guess
        ("quarter", 2026, None, None),
    ],
)
def test_previous_period(period_type, year, number, expected):
    assert previous_period(period_type, year, number) == expected


@pytest.mark.parametrize(
    ("today", "period_type", "expected"),
    [
        (datetime.date(2026, 12, 1), "quarter", (2026, 3)),
        (datetime.date(2026, 1, 5), "quarter", (2025, 4)),
        (datetime.date(2026, 1, 5), "month", (2025, 12)),
        (datetime.date(2026, 3, 31), "year", (2025, None)),
    ],
)
def test_last_ended_period(today, period_type, expected):
    assert last_ended_period(period_type, today) == expected


@pytest.mark.parametrize(
    ("period_type", "year", "number", "today", "expected"),
    [
        ("quarter", 2026, 4, datetime.date(2026, 12, 1), True),
        ("quarter", 2026, 4, datetime.date(2026, 12, 31), True),  # last day: not ended yet
        ("quarter", 2026, 4, datetime.date(2027, 1, 1), False),
        ("quarter", 2026, 3, datetime.date(2026, 12, 1), False),
        ("month", 2026, 12, datetime.date(2026, 12, 1), True),
        ("year", 2026, None, datetime.date(2026, 12, 1), True),
        ("year", 2025, None, datetime.date(2026, 12, 1), False),
        ("immediate", 2026, None, datetime.date(2026, 12, 1), False),
    ],
)
def test_period_not_ended(period_type, year, number, today, expected):
    assert period_not_ended(period_type, year, number, today) is expected


def test_suggested_title():
    assert (
        suggested_title("西岭村", "财务公开", "quarter", 2026, 3) == "西岭村2026年第3季度财务公开"
    )
    assert (
        suggested_title("东湖社区", "村务公开", "month", 2026, 10) == "东湖社区2026年10月村务公开"
    )
    assert suggested_title("西岭村", "党务公开", "year", 2026, None) == "西岭村2026年度党务公开"
    day = datetime.date(2026, 5, 8)
    assert suggested_title("西岭村", "村务公开", "immediate", 2026, None, day) == (
        "西岭村2026年5月8日村务公开"
    )


FINANCE = dict(kind="finance", period_type="quarter")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("previous", "asked", "expected"),
    [
        # no previous period at all
        (None, dict(year=2026, period_number=3), None),
        # same quarter-before within the year: 1000 + 500 − 200
        (dict(year=2026, period_number=2), dict(year=2026, period_number=3), Decimal("1300.00")),
        # year boundary: 2025 Q4 feeds 2026 Q1
        (dict(year=2025, period_number=4), dict(year=2026, period_number=1), Decimal("1300.00")),
        # two quarters back is not the previous period
        (dict(year=2026, period_number=1), dict(year=2026, period_number=3), None),
    ],
)
def test_previous_closing_balance(make_disclosure, donghu, previous, asked, expected):
    if previous is not None:
        make_disclosure(
            lines=[("income", "上级补助", "500.00"), ("expense", "道路维修", "200.00")],
            opening_balance=Decimal("1000.00"),
            **FINANCE,
            **previous,
        )
    assert previous_closing_balance(donghu.pk, **FINANCE, **asked) == expected


@pytest.mark.django_db
def test_previous_closing_balance_keeps_to_village_kind_and_catalog_item(
    make_disclosure, donghu, xiling, catalog
):
    make_disclosure(
        village="西岭村", opening_balance=Decimal("5.00"), year=2026, period_number=2, **FINANCE
    )
    make_disclosure(kind="village", period_type="quarter", year=2026, period_number=2)
    assert previous_closing_balance(donghu.pk, **FINANCE, year=2026, period_number=3) is None
    assert previous_closing_balance(xiling.pk, **FINANCE, year=2026, period_number=3) == Decimal(
        "5.00"
    )
    monthly = dict(kind="finance", period_type="month", year=2026)
    make_disclosure(
        opening_balance=Decimal("7.00"),
        catalog_item=catalog["finance_month"],
        period_number=6,
        **monthly,
    )
    item = catalog["finance_month"].pk
    assert previous_closing_balance(
        donghu.pk, **monthly, period_number=7, catalog_item_id=item
    ) == (Decimal("7.00"))
    other = catalog["assets"].pk
    assert previous_closing_balance(
        donghu.pk, **monthly, period_number=7, catalog_item_id=other
    ) is (None)


@pytest.mark.django_db
def test_published_disclosure_wins_over_a_draft(make_disclosure, donghu):
    make_disclosure(opening_balance=Decimal("10.00"), year=2026, period_number=2, **FINANCE)
    make_disclosure(
        opening_balance=Decimal("99.00"), year=2026, period_number=2, live=False, **FINANCE
    )
    assert previous_closing_balance(donghu.pk, **FINANCE, year=2026, period_number=3) == Decimal(
        "10.00"
    )


@pytest.mark.django_db
def test_create_form_is_prefilled(client, editor, tree, donghu, make_disclosure):
    today = timezone.localdate()
    year, number = last_ended_period("quarter", today)
    before_year, before_number = previous_period("quarter", year, number)
    make_disclosure(
        lines=[("income", "集体收入", "250.50")],
        opening_balance=Decimal("100.00"),
        year=before_year,
        period_number=before_number,
        **FINANCE,
    )
    client.force_login(editor)
    response = client.get(add_url(tree["东湖社区"]))
    initial = response.context["form"].initial
    assert initial["title"] == f"东湖社区{year}年第{number}季度财务公开"
    assert (initial["kind"], initial["period_type"]) == ("finance", "quarter")
    assert (initial["year"], initial["period_number"]) == (year, number)
    assert initial["opening_balance"] == Decimal("350.50")
    html = response.content.decode()
    assert f'value="东湖社区{year}年第{number}季度财务公开"' in html
    assert 'value="350.50"' in html


@pytest.mark.django_db
def test_create_form_without_previous_period_leaves_balance_empty(client, editor, tree, xiling):
    assert "opening_balance" not in new_disclosure_initial(xiling, timezone.localdate())
    client.force_login(editor)
    response = client.get(add_url(tree["西岭村"]))
    assert response.context["form"].initial.get("opening_balance") is None
    assert response.context["form"].initial["title"].startswith("西岭村")
