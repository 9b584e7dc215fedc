"""List filters for the register admin (django-filter FilterSets).

Choice lists that name regions, grids or teams are themselves limited to the
user's scope, so a filter drop-down never lists another town's villages.
"""

import django_filters
from django.db.models import Q
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import Grid, GridStaff, PointsEntry, Region, ServiceRecord, Volunteer, VolunteerTeam
from .scope import restrict_to_scope


def _villages(request):
    villages = Region.objects.filter(level=Region.Level.VILLAGE).order_by("sort_order", "name")
    return restrict_to_scope(villages, getattr(request, "user", None), "id")


def _regions(request):
    return restrict_to_scope(
        Region.objects.order_by("level", "sort_order", "name"), getattr(request, "user", None), "id"
    )


def _grids(request):
    return restrict_to_scope(Grid.objects.all(), getattr(request, "user", None), "region")


def _teams(request):
    return restrict_to_scope(VolunteerTeam.objects.all(), getattr(request, "user", None), "region")


OVERSIZE_CHOICES = [("yes", "超出规模标准"), ("no", "符合规模标准")]


class RegionFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label="层级", choices=Region.Level.choices)
    parent = django_filters.ModelChoiceFilter(label="上级区划", queryset=_regions)
    merged = django_filters.BooleanFilter(
        label="已撤并", field_name="merged_into", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Region
        fields = ["level", "parent"]


class GridFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(label="所属村（社区）", queryset=_villages)
    grid_type = django_filters.ChoiceFilter(label="网格类型", choices=Grid.GridType.choices)
    oversized = django_filters.ChoiceFilter(
        label="规模", choices=OVERSIZE_CHOICES, method="filter_oversized"
    )
    live = django_filters.BooleanFilter(label="已发布")

    class Meta:
        model = Grid
        fields = ["region", "grid_type", "live"]

    def filter_oversized(self, queryset, name, value):
        over = Q()
        for grid_type, norm in Grid.HOUSEHOLD_NORM.items():
            over |= Q(grid_type=grid_type, households__gt=norm)
        return queryset.filter(over) if value == "yes" else queryset.exclude(over)


class GridStaffFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(label="岗位", choices=GridStaff.Role.choices)
    village = django_filters.ModelChoiceFilter(
        label="所属村（社区）", queryset=_villages, field_name="grids__region", distinct=True
    )
    party_member = django_filters.BooleanFilter(label="中共党员")

    class Meta:
        model = GridStaff
        fields = ["role", "party_member"]


class VolunteerFilterSet(WagtailFilterSet):
    village = django_filters.ModelChoiceFilter(
        label="所属村（社区）", queryset=_villages, field_name="grid__region"
    )
    grid = django_filters.ModelChoiceFilter(label="所属网格", queryset=_grids)
    teams = django_filters.ModelChoiceFilter(label="服务队伍", queryset=_teams, distinct=True)
    gender = django_filters.ChoiceFilter(label="性别", choices=Volunteer.Gender.choices)
    political_status = django_filters.ChoiceFilter(
        label="政治面貌", choices=Volunteer.PoliticalStatus.choices
    )
    active = django_filters.BooleanFilter(label="在册")
    registered = django_filters.DateFromToRangeFilter(
        label="注册日期", field_name="registration_date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Volunteer
        fields = ["gender", "political_status", "active"]


class VolunteerTeamFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(label="所属区划", queryset=_regions)

    class Meta:
        model = VolunteerTeam
        fields = ["region"]


class ServiceRecordFilterSet(WagtailFilterSet):
    village = django_filters.ModelChoiceFilter(
        label="所属村（社区）", queryset=_villages, field_name="volunteer__grid__region"
    )
    team = django_filters.ModelChoiceFilter(label="组织队伍", queryset=_teams)
    date = django_filters.DateFromToRangeFilter(label="服务日期", widget=DateRangePickerWidget)
    volunteer = django_filters.NumberFilter(label="志愿者编号", field_name="volunteer_id")

    class Meta:
        model = ServiceRecord
        fields = ["team"]


class PointsEntryFilterSet(WagtailFilterSet):
    village = django_filters.ModelChoiceFilter(
        label="所属村（社区）", queryset=_villages, field_name="volunteer__grid__region"
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=PointsEntry.Kind.choices)
    date = django_filters.DateFromToRangeFilter(label="日期", widget=DateRangePickerWidget)
    volunteer = django_filters.NumberFilter(label="志愿者编号", field_name="volunteer_id")

    class Meta:
        model = PointsEntry
        fields = ["kind"]
