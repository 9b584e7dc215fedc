"""Find a grid by a place name a resident types: 幸福小区, 三组, 建设路.

A resident does not know their grid's number; they know their 小区, 村民小组 or
street, which is what ``Grid.coverage`` lists. The query and the grids' text go
through the project's Chinese analysis (``search.analysis``: full-width →
half-width, traditional → simplified, jieba), so 幸福小區 and ｜幸福小区｜ find the
same grid as 幸福小区.

Words every address has (小区, 组, 路, 栋, 号 …) and numbers rank the grids but
do not select them: "幸福小区3栋" must find the grid covering 幸福小区1-6栋,
whose text holds no "3". The other words (幸福, 东湖, 建设) select: a grid is a
candidate only if its name, coverage, village or town holds them — all of them
for the public finder, any of them when resolving an address, which may carry
words no register has (门口, 旁边).

The database filters the candidates (``icontains`` per word) and counts the
words each one holds; only the best few hundred are read and ranked here, so a
city's 18,000 grids are never all read.

The same function resolves Open311's ``address_string`` to a grid
(``resolve_address``), so both doors agree on what a place name means.
"""

from dataclasses import dataclass
from functools import reduce
from operator import add, and_, or_

from django.db.models import Case, IntegerField, Q, Value, When

from search import analysis

# Words of an address that say what kind of place it is, not which one.
PLACE_WORDS = frozenset(
    "小区 社区 村 组 村民小组 小组 街道 乡 镇 县 区 路 街 巷 弄 道 号 栋 幢 楼 号楼 单元 室 层 "
    "门 院 苑 园 花园 公寓 大厦 广场 家属院 东 西 南 北 中 段 片 片区 附近 旁边 对面 门口 "
    "一带 周边 网格 居委会 村委会".split()
)
MAX_CANDIDATES = 500
EXACT_BONUS = 100


@dataclass
class Match:
    grid: object
    score: int
    exact: bool


def query_terms(text):
    """``(normalised query, terms, selecting terms)``: terms in query order, no repeats."""
    clipped, _truncated = analysis.clip_query(text)
    normalised = analysis.normalize(clipped)
    terms = list(dict.fromkeys(analysis.query_tokens(normalised)))
    selecting = [t for t in terms if not t.isdigit() and t not in PLACE_WORDS]
    selecting = [t for t in selecting if t not in analysis.GENERIC_WORDS] or selecting
    return normalised, terms, selecting


def _haystack(grid):
    region = grid.region
    town = region.parent if region is not None else None
    parts = [grid.name, grid.coverage, region.name if region else "", town.name if town else ""]
    return analysis.normalize(" ".join(p for p in parts if p))


def _term_filter(term):
    return (
        Q(name__icontains=term)
        | Q(coverage__icontains=term)
        | Q(region__name__icontains=term)
        | Q(region__parent__name__icontains=term)
    )


def find_grids(text, queryset, *, require_all=True, limit=20):
    """Grids of ``queryset`` matching the place ``text``, best first, as ``Match`` objects.

    ``require_all``: every selecting word must occur (the public finder); else
    any one (an address to resolve). A grid whose own name or coverage holds the
    whole normalised query ranks first (``exact``).
    """
    normalised, terms, selecting = query_terms(text)
    if not selecting:
        return []
    combine = and_ if require_all else or_
    # The database counts each grid's matching words (numbers included), so that
    # the best candidates — not the first by code — are the ones read when a
    # common word (幸福, 东湖) matches thousands of grids.
    hits = reduce(
        add,
        (
            Case(
                When(_term_filter(t), then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            for t in terms
        ),
    )
    candidates = (
        queryset.filter(reduce(combine, (_term_filter(t) for t in selecting)))
        .annotate(place_hits=hits)
        .select_related("region__parent")
        .order_by("-place_hits", "code")[:MAX_CANDIDATES]
    )
    compact = normalised.replace(" ", "")
    matches = []
    for grid in candidates:
        haystack = _haystack(grid)
        own = analysis.normalize(f"{grid.name} {grid.coverage}")
        exact = bool(compact) and compact in own.replace(" ", "")
        score = sum(1 for t in terms if t in haystack) + sum(2 for t in selecting if t in own)
        if exact:
            score += EXACT_BONUS
        matches.append(Match(grid, score, exact))
    matches.sort(key=lambda m: (-m.score, m.grid.code))
    return matches[:limit]


class AddressProblem(ValueError):
    """An address that names no grid, or several equally well (message in Chinese)."""


def resolve_address(text, queryset):
    """The one grid ``text`` designates, or raise ``AddressProblem``.

    A grid is chosen only when it ranks strictly above the next one and at
    least one selecting word is in its own name or coverage (a village name
    alone names all of its grids).
    """
    matches = find_grids(text, queryset, require_all=False, limit=6)
    _normalised, _terms, selecting = query_terms(text)
    own_hits = [
        m
        for m in matches
        if any(t in analysis.normalize(f"{m.grid.name} {m.grid.coverage}") for t in selecting)
    ]
    if not own_hits:
        raise AddressProblem(
            f"地址“{text[:50]}”没有对应的网格，请改用 address_id（网格编码）或 lat/long 坐标"
        )
    best = own_hits[0]
    if len(own_hits) > 1 and own_hits[1].score == best.score:
        names = "、".join(f"{m.grid.name}（{m.grid.code}）" for m in own_hits[:5])
        raise AddressProblem(
            f"地址“{text[:50]}”对应多个网格：{names}，请改用 address_id（网格编码）指明"
        )
    return best.grid
