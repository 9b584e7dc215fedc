"""Reading and checking case-search parameters from a query string.

One door for the public page, the JSON API and the admin: every value is
checked here, unknown filter values are rejected with a Chinese message that
names the parameter and the value, and nothing unchecked reaches SQL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from .backends.base import CaseFilters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_PAGE = 500  # deeper pages are never useful and cost a full ranking
YEAR_RANGE = (1990, 2100)
FILTER_NAMES = ("category", "status", "grid", "village", "source", "year")


class SearchParamError(ValueError):
    """Bad parameters; ``errors`` maps each parameter name to a Chinese message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self):
        return "；".join(self.errors.values())


@dataclass
class CaseSearchParams:
    q: str = ""
    filters: CaseFilters = field(default_factory=CaseFilters)
    selected: dict = field(default_factory=dict)  # filter name → value as given (for links)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


def _shown(value):
    value = str(value)
    return value if len(value) <= 30 else value[:30] + "…"


def _int_in_range(raw, low, high):
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _choices_text(choices):
    return "、".join(f"{value}（{label}）" for value, label in choices)


def _member(choices):
    """The value itself if it is one of ``choices`` (a TextChoices class), else None."""
    return lambda raw: raw if raw in choices.values else None


class _Check(NamedTuple):
    """One search parameter: where its value goes, how it is read, what a bad one says.

    ``read(raw)`` is the checked value or None; ``complaint`` is the Chinese message
    for a bad value, ``{}`` standing for the value as shown back to the user. A
    filter's value goes on ``params.filters`` (and is remembered in ``selected``);
    paging values go on ``params`` itself.
    """

    name: str
    attribute: str
    read: Callable
    complaint: str
    is_filter: bool = True


def _checks():
    from portal.cases.models import Case, CaseCategory
    from portal.snippets.models import Grid, Region

    def category(raw):
        if len(raw) > 30:
            return None
        return CaseCategory.objects.filter(code=raw).values_list("id", flat=True).first()

    def grid(raw):
        if len(raw) > 20:
            return None
        return Grid.objects.filter(code=raw).values_list("id", flat=True).first()

    def village(raw):
        village_id = _int_in_range(raw, 1, 2**62)
        if village_id is None:
            return None
        villages = Region.objects.filter(id=village_id, level=Region.Level.VILLAGE)
        return village_id if villages.exists() else None

    def in_range(low, high):
        return lambda raw: _int_in_range(raw, low, high)

    statuses = _choices_text(Case.Status.choices)
    sources = _choices_text(Case.Source.choices)
    return (
        _Check(
            "page",
            "page",
            in_range(1, MAX_PAGE),
            f"页码“{{}}”无效：应为 1 到 {MAX_PAGE} 之间的整数（参数 page）",
            is_filter=False,
        ),
        _Check(
            "page_size",
            "page_size",
            in_range(1, MAX_PAGE_SIZE),
            f"每页条数“{{}}”无效：应为 1 到 {MAX_PAGE_SIZE} 之间的整数（参数 page_size）",
            is_filter=False,
        ),
        _Check(
            "category", "category_id", category, "事件类别“{}”不存在（参数 category 应为类别代码）"
        ),
        _Check(
            "status",
            "status",
            _member(Case.Status),
            f"状态“{{}}”无效（参数 status），可选：{statuses}",
        ),
        _Check(
            "source",
            "source",
            _member(Case.Source),
            f"事件来源“{{}}”无效（参数 source），可选：{sources}",
        ),
        _Check("grid", "grid_id", grid, "网格编码“{}”不存在（参数 grid）"),
        _Check(
            "village",
            "village_id",
            village,
            "村（社区）编号“{}”不存在（参数 village 应为村/社区的编号）",
        ),
        _Check(
            "year",
            "year",
            in_range(*YEAR_RANGE),
            "年份“{}”无效：应为四位数字的年份，如 2024（参数 year）",
        ),
    )


def parse_case_search_params(data):
    """``CaseSearchParams`` from a QueryDict/dict, or ``SearchParamError``."""
    errors = {}
    params = CaseSearchParams(q=str(data.get("q", "") or ""))
    for check in _checks():
        value = data.get(check.name, "")
        raw = str(value).strip() if value is not None else ""
        if not raw:
            continue
        checked = check.read(raw)
        if checked is None:
            errors[check.name] = check.complaint.format(_shown(raw))
        elif check.is_filter:
            setattr(params.filters, check.attribute, checked)
            params.selected[check.name] = raw
        else:
            setattr(params, check.attribute, checked)
    if errors:
        raise SearchParamError(errors)
    return params
