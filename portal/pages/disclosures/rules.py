"""Business rules of a village-affairs disclosure, as plain functions.

The page model's ``clean()``, the admin form, the demo loader and the tests all
call these, so a rule lives in exactly one place. Every message is written for
the village clerk who typed the data: it names the field (and the row of the
finance table) that is wrong.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

PERIOD_MONTH = "month"
PERIOD_QUARTER = "quarter"
PERIOD_YEAR = "year"
PERIOD_IMMEDIATE = "immediate"

PERIOD_NUMBER_RANGE = {PERIOD_MONTH: (1, 12), PERIOD_QUARTER: (1, 4)}

MIN_YEAR = 2000
MAX_YEAR = 2100

# Largest amount a DecimalField(max_digits=14, decimal_places=2) holds.
MAX_AMOUNT = Decimal("999999999999.99")


def period_label(period_type, year, period_number=None, matter_date=None):
    """The period as a villager reads it: 2026年第3季度, 2026年10月, 2026年度, 即时公开."""
    if period_type == PERIOD_MONTH and period_number:
        return f"{year}年{period_number}月"
    if period_type == PERIOD_QUARTER and period_number:
        return f"{year}年第{period_number}季度"
    if period_type == PERIOD_YEAR:
        return f"{year}年度"
    if period_type == PERIOD_IMMEDIATE:
        return "即时公开"
    return f"{year}年" if year else ""


def period_problems(period_type, year, period_number, matter_date):
    """Field errors of the period fields, as ``{field: message}`` (empty when valid)."""
    errors = {}
    if year is not None and not (MIN_YEAR <= year <= MAX_YEAR):
        errors["year"] = f"年度应在{MIN_YEAR}至{MAX_YEAR}之间"
    if period_type in PERIOD_NUMBER_RANGE:
        low, high = PERIOD_NUMBER_RANGE[period_type]
        what = "月份" if period_type == PERIOD_MONTH else "季度"
        if period_number is None:
            errors["period_number"] = f"月度/季度公开须填写{what}（{low}–{high}）"
        elif not (low <= period_number <= high):
            errors["period_number"] = f"{what}应在{low}至{high}之间，当前为{period_number}"
    elif period_type in (PERIOD_YEAR, PERIOD_IMMEDIATE) and period_number is not None:
        errors["period_number"] = "年度公开和即时公开不填写月份/季度，请留空"
    if period_type == PERIOD_IMMEDIATE:
        if matter_date is None:
            errors["matter_date"] = "即时公开须填写事项发生日期"
        elif year is not None and matter_date.year != year and "year" not in errors:
            errors["year"] = f"年度应与事项发生日期一致（{matter_date.year}年）"
    return errors


def catalog_problems(kind, period_type, catalog_item, region_id=None):
    """A disclosure must match the catalog item it claims to fulfil."""
    errors = {}
    if catalog_item is None:
        return errors
    if kind and kind != catalog_item.kind:
        errors["kind"] = (
            f"公开类别与公开目录「{catalog_item.name}」不一致："
            f"该目录事项属于{catalog_item.get_kind_display()}"
        )
    if period_type and period_type != catalog_item.frequency:
        errors["period_type"] = (
            f"公开期次类型与公开目录「{catalog_item.name}」不一致："
            f"该目录事项要求{catalog_item.get_frequency_display()}公开"
        )
    if region_id is not None and catalog_item.pk:
        applies = set(catalog_item.applies_to.values_list("id", flat=True))
        if applies and region_id not in applies:
            errors["catalog_item"] = f"公开目录「{catalog_item.name}」不适用于本村（社区）"
    return errors


def parse_amount(raw, row_number, label="金额"):
    """Turn what the clerk typed into a Decimal, or raise naming the row.

    Accepts thousands separators and a leading ¥ because that is how amounts are
    copied from the village's account books.
    """
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        text = str(raw if raw is not None else "").strip()
        text = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        if not text:
            raise ValidationError(f"第{row_number}行「{label}」不能为空")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"第{row_number}行「{label}」不是有效的数字") from None
    if not value.is_finite():
        raise ValidationError(f"第{row_number}行「{label}」不是有效的数字")
    if value < 0:
        raise ValidationError(f"第{row_number}行「{label}」不能为负数（退款请记入相反方向）")
    if value.as_tuple().exponent < -2:
        raise ValidationError(f"第{row_number}行「{label}」最多保留两位小数")
    if value > MAX_AMOUNT:
        raise ValidationError(f"第{row_number}行「{label}」超出允许的最大金额")
    return value


def finance_row_errors(row_number, direction, item, amount):
    """Errors of one row of the finance table as ``{field: message}`` (empty when valid)."""
    errors = {}
    if direction not in ("income", "expense"):
        errors["direction"] = f"第{row_number}行「收支」须选择收入或支出"
    if not (item or "").strip():
        errors["item"] = f"第{row_number}行「项目」不能为空"
    try:
        parse_amount(amount, row_number)
    except ValidationError as exc:
        errors["amount"] = exc.messages[0]
    return errors


def finance_row_problems(row_number, direction, item, amount):
    """The same errors as a flat list of messages."""
    return list(finance_row_errors(row_number, direction, item, amount).values())


@dataclass(frozen=True)
class FinanceSummary:
    """The finance table as printed: lines by direction and totals computed from them."""

    opening_balance: Decimal
    income_lines: list
    expense_lines: list

    @property
    def income_total(self):
        return sum((line.amount for line in self.income_lines), Decimal("0"))

    @property
    def expense_total(self):
        return sum((line.amount for line in self.expense_lines), Decimal("0"))

    @property
    def closing_balance(self):
        return self.opening_balance + self.income_total - self.expense_total

    @property
    def has_lines(self):
        return bool(self.income_lines or self.expense_lines)


def summarise_finance(opening_balance, lines):
    """Split lines into income and expense; totals are always computed, never typed."""
    income = [line for line in lines if line.direction == "income"]
    expense = [line for line in lines if line.direction == "expense"]
    return FinanceSummary(opening_balance or Decimal("0"), income, expense)
