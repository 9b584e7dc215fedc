"""Chunked look-ups shared by the importers: grids by code, the user's scope."""

import unicodedata

from django.db import connection

from portal.snippets.models import Grid
from portal.snippets.scope import ALL, region_ids_in_scope

# Values per ``__in`` query: well below the variable limits of SQLite and PostgreSQL.
LOOKUP_CHUNK = 2000
# Keys per look-up of ``base.in_clause`` on PostgreSQL, which sends a chunk as one
# parameter (no variable limit). For a few thousand random keys (keyed hashes) into
# a table of 10⁵ the planner reads the whole table anyway, with or without
# statistics (a table just bulk-loaded has none): 50 such scans were most of a
# 10⁵-row re-import's look-ups; a few larger chunks cost a few scans.
PG_LOOKUP_CHUNK = 25000


def lookup_chunk():
    """Keys per look-up query of the bulk classifiers (``in_clause``)."""
    return PG_LOOKUP_CHUNK if connection.vendor == "postgresql" else LOOKUP_CHUNK


def in_chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clean_grid_ref(value):
    """A grid as a sheet names it: its code (text, full-width or a number) or its name."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")


class Scope:
    """The importing user's region scope. ``user=None`` is a trusted command-line run."""

    def __init__(self, user):
        self.user = user
        self.region_ids = ALL if user is None else region_ids_in_scope(user)

    @property
    def unrestricted(self):
        return self.region_ids is ALL

    def allows(self, region_id):
        return self.region_ids is ALL or region_id in self.region_ids


class GridInfo:
    __slots__ = ("id", "code", "name", "region_id", "town_id")

    def __init__(self, id, code, name, region_id, town_id):
        self.id = id
        self.code = code
        self.name = name
        self.region_id = region_id
        self.town_id = town_id


class GridLookup:
    """Resolves the grid column of volunteer and case sheets.

    Codes are looked up in chunks; a value that is not all digits is taken as a
    grid *name* and accepted only if exactly one grid in the user's scope has it.
    """

    def __init__(self, refs, scope):
        refs = set(refs)
        codes = [ref for ref in refs if ref.isdigit()]
        names = [ref for ref in refs if not ref.isdigit()]
        self.by_ref = {}
        fields = ("id", "code", "name", "region_id", "region__parent_id")
        for chunk in in_chunks(codes):
            for row in Grid.objects.filter(code__in=chunk).values_list(*fields):
                self.by_ref[row[1]] = GridInfo(*row)
        self.ambiguous = set()
        if names:
            found = {}
            queryset = Grid.objects.filter(name__in=names)
            if not scope.unrestricted:
                queryset = queryset.filter(region_id__in=scope.region_ids)
            for row in queryset.values_list(*fields):
                found.setdefault(row[2], []).append(GridInfo(*row))
            for name, grids in found.items():
                if len(grids) == 1:
                    self.by_ref[name] = grids[0]
                else:
                    self.ambiguous.add(name)
        self.scope = scope

    def problem(self, ref):
        """Chinese refusal for a reference that does not resolve to a grid in scope, else None."""
        grid = self.by_ref.get(ref)
        if grid is None:
            if ref in self.ambiguous:
                return f"有多个名为“{ref}”的网格，请改填网格编码"
            if ref.isdigit():
                return f"网格编码“{ref}”不存在，请先导入或登记该网格"
            return f"网格“{ref}”不存在，请填写网格编码"
        if not self.scope.allows(grid.region_id):
            return f"网格“{grid.name}（{grid.code}）”不在您的管辖范围内，不能导入到该网格"
        return None

    def get(self, ref):
        return self.by_ref.get(ref)


def rows_with_grids(importer, rows, scope, *, skip_refused=False):
    """(row, grid) for each row whose 所属网格 cell names a grid the user may use.

    The whole file's grid cells are looked up at once; a row whose cell names no
    such grid is refused on that column. Rows without a grid cell are passed over
    (the column's own ``required`` rule speaks for them), and with
    ``skip_refused`` so are rows already refused.
    """
    grids = GridLookup({row.data["grid"] for row in rows if row.data.get("grid")}, scope)
    header = importer.header("grid")
    for row in rows:
        ref = row.data.get("grid")
        if not ref or (skip_refused and row.errors):
            continue
        problem = grids.problem(ref)
        if problem:
            row.refuse(header, problem)
        else:
            yield row, grids.get(ref)
