"""Public "find my grid worker" (找网格员): town → village → grid → its staff.

Plain links and a GET form, so it works without JavaScript on any phone. Shows
only what a grid's public board shows: the grid's name, code and size, and its
staff's roles, names and work phones. Nothing about residents or volunteers.
Only effective regions and live (published) grids are listed.
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .grid_places import find_grids
from .models import Grid, GridStaff, Region
from .models.grids import normalise_grid_code

# Leaders first, then full-time and part-time workers, then instructors.
ROLE_ORDER = [r.value for r in GridStaff.Role]


def _effective(queryset):
    today = timezone.localdate()
    return queryset.filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=today),
        Q(effective_until__isnull=True) | Q(effective_until__gt=today),
    )


def _live_grids():
    return Grid.objects.filter(live=True)


def _leaders():
    return Prefetch(
        "staff",
        queryset=GridStaff.objects.filter(role=GridStaff.Role.LEADER).order_by("name"),
        to_attr="leaders",
    )


def grid_finder(request):
    """Step 1: choose a town, type a place name (小区, 组, street) or a grid code."""
    towns = (
        _effective(Region.objects.filter(level=Region.Level.TOWN))
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order", "name")
    )
    code = normalise_grid_code(request.GET.get("code", ""))
    place = (request.GET.get("q") or "").strip()[:100]
    context = {"towns": towns, "code": code, "code_problem": None, "place": place}
    if place:
        matches = find_grids(place, _live_grids().prefetch_related(_leaders()))
        context["place_matches"] = matches
    if code:
        grid = _live_grids().filter(code=code).first()
        if grid is not None:
            return redirect("grids:grid", code=grid.code)
        context["code_problem"] = (
            f"没有找到编码为“{code}”的网格，请核对后重试，或按乡镇、村逐级查找"
        )
    status = 404 if context["code_problem"] else 200
    return render(request, "snippets/grids/finder.html", context, status=status)


def town_villages(request, town_id):
    """Step 2: the villages and communities of a town."""
    town = get_object_or_404(_effective(Region.objects.filter(level=Region.Level.TOWN)), pk=town_id)
    villages = (
        _effective(town.children.filter(level=Region.Level.VILLAGE))
        .annotate(grid_count=Count("grids", filter=Q(grids__live=True)))
        .order_by("sort_order", "name")
    )
    return render(request, "snippets/grids/town.html", {"town": town, "villages": villages})


def village_grids(request, village_id):
    """Step 3: the grids of a village, each with its leader's name for recognition."""
    village = get_object_or_404(
        Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent", "merged_into"),
        pk=village_id,
    )
    grids = _live_grids().filter(region=village).order_by("code")
    leaders = _leaders()
    return render(
        request,
        "snippets/grids/village.html",
        {
            "village": village,
            "town": village.parent,
            "grids": grids.prefetch_related(leaders),
            "merged": not village.is_effective(),
        },
    )


def grid_detail(request, code):
    """Step 4: one grid's public board."""
    grid = get_object_or_404(_live_grids().select_related("region__parent"), code=code)
    staff = sorted(grid.staff.all(), key=lambda s: (ROLE_ORDER.index(s.role), s.name))
    return render(
        request,
        "snippets/grids/grid.html",
        {"grid": grid, "village": grid.region, "town": grid.region.parent, "staff": staff},
    )
