"""Rules held by the models themselves (the door the importer, API and demo go through)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portal.pages.disclosures import rules
from portal.pages.disclosures.hooks import refresh_moved_disclosure_region
from portal.pages.models import (
    DisclosureCatalogItem,
    DisclosureIndexPage,
    DisclosurePage,
    FinanceLineItem,
)

pytestmark = pytest.mark.django_db


def errors_of(page):
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


def test_non_numeric_amount_in_the_model_names_the_row(make_disclosure):
    page = make_disclosure(kind="finance", lines=[("income", "租金", "100")])
    page.finance_items = [
        FinanceLineItem(direction="income", item="租金", amount=Decimal("100")),
        FinanceLineItem(direction="income", item="补助", amount=Decimal("50")),
        FinanceLineItem(direction="expense", item="维修", amount="一百"),
    ]
    assert "第3行「金额」不是有效的数字" in errors_of(page)["__all__"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"period_type": "month", "period_number": 0},
            "period_number",
            "月份应在1至12之间，当前为0",
        ),
        ({"period_type": "quarter", "period_number": None}, "period_number", "须填写季度"),
        ({"period_type": "immediate", "period_number": 2}, "period_number", "请留空"),
        ({"period_type": "immediate", "period_number": None}, "matter_date", "须填写事项发生日期"),
        (
            {
                "period_type": "immediate",
                "period_number": None,
                "matter_date": datetime.date(2025, 12, 30),
            },
            "year",
            "年度应与事项发生日期一致（2025年）",
        ),
        ({"year": 1999}, "year", "年度应在2000至2100之间"),
    ],
)
def test_period_rules(make_disclosure, fields, field, message):
    page = make_disclosure()
    for name, value in fields.items():
        setattr(page, name, value)
    assert message in " ".join(errors_of(page)[field])


def test_kind_and_frequency_must_match_the_catalog(make_disclosure, catalog):
    page = make_disclosure()
    page.catalog_item = catalog["finance_month"]
    errors = errors_of(page)
    assert "该目录事项属于财务公开" in errors["kind"][0]
    assert "该目录事项要求月度公开" in errors["period_type"][0]


def test_totals_are_computed_from_the_lines(make_disclosure):
    page = make_disclosure(
        kind="finance",
        opening_balance=Decimal("52970.15"),
        lines=[
            ("income", "转移支付", "8631.86"),
            ("income", "租金", "8275.03"),
            ("expense", "报酬", "9546.17"),
            ("expense", "保洁", "2584.67"),
        ],
    )
    page = DisclosurePage.objects.get(pk=page.pk)
    assert page.income_total == Decimal("16906.89")
    assert page.expense_total == Decimal("12130.84")
    assert page.closing_balance == Decimal("57746.20")


def test_totals_follow_edited_lines(make_disclosure):
    page = make_disclosure(kind="finance", lines=[("income", "租金", "100.00")])
    page.finance_items.add(FinanceLineItem(direction="expense", item="维修", amount=Decimal("30")))
    page.save()
    page = DisclosurePage.objects.get(pk=page.pk)
    assert (page.income_total, page.expense_total, page.closing_balance) == (
        Decimal("100.00"),
        Decimal("30.00"),
        Decimal("1070.00"),  # opening 1000 + 100 - 30
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.50", Decimal("1234.50")), ("¥ 12", Decimal("12")), (Decimal("3.1"), Decimal("3.1"))],
)
def test_parse_amount_accepts_account_book_formats(raw, expected):
    assert rules.parse_amount(raw, 1) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "第4行「金额」不是有效的数字"),
        ("", "第4行「金额」不能为空"),
        ("NaN", "第4行「金额」不是有效的数字"),
        ("-1", "第4行「金额」不能为负数"),
        ("1.005", "第4行「金额」最多保留两位小数"),
        ("1e15", "第4行「金额」超出允许的最大金额"),
    ],
)
def test_parse_amount_refuses_with_the_row(raw, message):
    with pytest.raises(ValidationError) as caught:
        rules.parse_amount(raw, 4)
    assert caught.value.messages == [message] or message in caught.value.messages[0]


@pytest.mark.parametrize(
    ("period_type", "number", "label"),
    [
        ("quarter", 3, "2026年第3季度"),
        ("month", 10, "2026年10月"),
        ("year", None, "2026年度"),
        ("immediate", None, "即时公开"),
    ],
)
def test_period_label(period_type, number, label):
    assert rules.period_label(period_type, 2026, number) == label


def test_region_is_copied_from_the_parent_index(make_disclosure, donghu, xiling, tree):
    page = make_disclosure()
    assert page.region == donghu
    other = make_disclosure(village="西岭村")
    assert other.region == xiling


def test_region_follows_a_move_and_an_index_change(make_disclosure, tree, xiling, regions):
    page = make_disclosure()
    page.move(tree["西岭村"], pos="last-child")
    refresh_moved_disclosure_region(None, page)
    page.refresh_from_db()
    assert page.region == xiling

    index = DisclosureIndexPage.objects.get(pk=tree["西岭村"].pk)
    index.region = regions["南坪村"]
    index.save()
    page.refresh_from_db()
    assert page.region == regions["南坪村"]


def test_disclosures_only_under_a_village_index(tree):
    assert DisclosurePage.can_create_at(tree["东湖社区"])
    assert not DisclosurePage.can_create_at(tree["town"])
    assert DisclosureIndexPage.can_create_at(tree["town"])


def test_index_needs_a_region_and_one_per_region(tree, donghu):
    page = DisclosureIndexPage.objects.get(pk=tree["西岭村"].pk)
    page.region = None
    assert "请选择" in errors_of(page)["region"][0]
    page.region = donghu
    assert "已有村务公开栏目" in errors_of(page)["region"][0]


def test_periodic_catalog_item_due_day_must_be_a_day_of_month():
    item = DisclosureCatalogItem(
        name="财务", kind="finance", frequency="month", due_day=0, active_from=datetime.date.today()
    )
    assert "1至31日" in errors_of(item)["due_day"][0]
    item.frequency = "immediate"
    item.full_clean()  # an immediate item may allow 0 days (same day)
