"""List filters for the care admin; grid and town choices limited to the user's regions."""

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from portal.snippets.models import Grid, Region
from portal.snippets.scope import restrict_to_scope

from .models import CareKind, CareObject, Round, Visit, VisitCadence


def _grids(request):
    return restrict_to_scope(Grid.objects.all(), getattr(request, "user", None), "region")


def _towns(request):
    towns = Region.objects.filter(level=Region.Level.TOWN).order_by("sort_order", "name")
    return restrict_to_scope(towns, getattr(request, "user", None), "id")


class CareObjectFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="对象类别", choices=CareKind.choices)
    grid = django_filters.ModelChoiceFilter(label="所属网格", queryset=_grids)
    active = django_filters.BooleanFilter(label="在册")

    class Meta:
        model = CareObject
        fields = ["kind", "grid", "active"]


class VisitFilterSet(WagtailFilterSet):
    grid = django_filters.ModelChoiceFilter(
        label="所属网格", queryset=_grids, field_name="care_object__grid"
    )
    kind = django_filters.ChoiceFilter(
        label="对象类别", choices=CareKind.choices, field_name="care_object__kind"
    )
    found_well = django_filters.BooleanFilter(label="情况良好")

    class Meta:
        model = Visit
        fields = ["found_well"]


class RoundFilterSet(WagtailFilterSet):
    grid = django_filters.ModelChoiceFilter(label="巡查网格", queryset=_grids)

    class Meta:
        model = Round
        fields = ["grid"]


class VisitCadenceFilterSet(WagtailFilterSet):
    town = django_filters.ModelChoiceFilter(label="乡镇/街道", queryset=_towns)
    kind = django_filters.ChoiceFilter(label="对象类别", choices=CareKind.choices)

    class Meta:
        model = VisitCadence
        fields = ["town", "kind"]
