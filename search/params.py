"""Reading and checking case-search parameters from a query string.

One door for the public page, the JSON API and the admin: every value is
checked here, unknown filter values are rejected with a Chinese message that
names the parameter and the value, and nothing unchecked reaches SQL.
"""

from dataclasses import dataclass, field

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


def parse_case_search_params(data):
    """``CaseSearchParams`` from a QueryDict/dict, or ``SearchParamError``."""
    from portal.cases.models import Case, CaseCategory
    from portal.snippets.models import Grid, Region

    errors = {}
    params = CaseSearchParams(q=str(data.get("q", "") or ""))

    def given(name):
        value = data.get(name, "")
        return str(value).strip() if value is not None else ""

    raw = given("page")
    if raw:
        page = _int_in_range(raw, 1, MAX_PAGE)
        if page is None:
            errors["page"] = (
                f"页码“{_shown(raw)}”无效：应为 1 到 {MAX_PAGE} 之间的整数（参数 page）"
            )
        else:
            params.page = page
    raw = given("page_size")
    if raw:
        size = _int_in_range(raw, 1, MAX_PAGE_SIZE)
        if size is None:
            errors["page_size"] = (
                f"每页条数“{_shown(raw)}”无效：应为 1 到 {MAX_PAGE_SIZE} 之间的整数（参数 page_size）"
            )
        else:
            params.page_size = size

    filters = params.filters
    raw = given("category")
    if raw:
        category_id = (
            CaseCategory.objects.filter(code=raw[:30]).values_list("id", flat=True).first()
        )
        if category_id is None or len(raw) > 30:
            errors["category"] = f"事件类别“{_shown(raw)}”不存在（参数 category 应为类别代码）"
        else:
            filters.category_id = category_id
            params.selected["category"] = raw
    raw = given("status")
    if raw:
        if raw in Case.Status.values:
            filters.status = raw
            params.selected["status"] = raw
        else:
            errors["status"] = (
                f"状态“{_shown(raw)}”无效（参数 status），可选：{_choices_text(Case.Status.choices)}"
            )
    raw = given("source")
    if raw:
        if raw in Case.Source.values:
            filters.source = raw
            params.selected["source"] = raw
        else:
            errors["source"] = (
                f"事件来源“{_shown(raw)}”无效（参数 source），可选：{_choices_text(Case.Source.choices)}"
            )
    raw = given("grid")
    if raw:
        grid_id = None
        if len(raw) <= 20:
            grid_id = Grid.objects.filter(code=raw).values_list("id", flat=True).first()
        if grid_id is None:
            errors["grid"] = f"网格编码“{_shown(raw)}”不存在（参数 grid）"
        else:
            filters.grid_id = grid_id
            params.selected["grid"] = raw
    raw = given("village")
    if raw:
        village_id = _int_in_range(raw, 1, 2**62)
        if (
            village_id is not None
            and not Region.objects.filter(id=village_id, level=Region.Level.VILLAGE).exists()
        ):
            village_id = None
        if village_id is None:
            errors["village"] = (
                f"村（社区）编号“{_shown(raw)}”不存在（参数 village 应为村/社区的编号）"
            )
        else:
            filters.village_id = village_id
            params.selected["village"] = raw
    raw = given("year")
    if raw:
        year = _int_in_range(raw, *YEAR_RANGE)
        if year is None:
            errors["year"] = f"年份“{_shown(raw)}”无效：应为四位数字的年份，如 2024（参数 year）"
        else:
            filters.year = year
            params.selected["year"] = raw

    if errors:
        raise SearchParamError(errors)
    return params
