"""Published grids and the staff on each grid's public board (names and work phones)."""

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, Value, When
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.snippets.models import Grid, GridStaff

from ..pagination import PortalPagination
from ..params import choice_param
from .common import REGION_PARAMETERS, TAG, PublicAPIView, scope_regions


def live_grids():
    """Grids as published: a grid saved as a draft or awaiting approval is not public yet."""
    return Grid.objects.filter(live=True)


class GridStaffSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", help_text="岗位名称")

    class Meta:
        model = GridStaff
        fields = ["role", "role_label", "name", "work_phone"]
        extra_kwargs = {
            "name": {"help_text": "姓名（公示信息）"},
            "work_phone": {"help_text": "工作电话（公示信息）"},
        }


class GridSerializer(serializers.ModelSerializer):
    village_id = serializers.IntegerField(source="region_id", help_text="所属村（社区）编号")
    village = serializers.CharField(source="region.name", help_text="所属村（社区）")
    town = serializers.CharField(
        source="region.parent.name", allow_null=True, help_text="所属乡镇（街道）"
    )
    grid_type_label = serializers.CharField(source="get_grid_type_display", help_text="网格类型")
    staff = GridStaffSerializer(many=True, help_text="网格公示牌上的工作人员")

    class Meta:
        model = Grid
        fields = [
            "code",
            "name",
            "village_id",
            "village",
            "town",
            "grid_type",
            "grid_type_label",
            "households",
            "coverage",
            "staff",
        ]


# The order of a grid's public board: leader first, the instructor last.
ROLE_ORDER = [
    GridStaff.Role.LEADER,
    GridStaff.Role.FULL_TIME,
    GridStaff.Role.PART_TIME,
    GridStaff.Role.INSTRUCTOR,
]


def grids_queryset():
    board_order = SqlCase(
        *(When(role=role, then=Value(index)) for index, role in enumerate(ROLE_ORDER)),
        default=Value(len(ROLE_ORDER)),
        output_field=IntegerField(),
    )
    staff = GridStaff.objects.annotate(board_order=board_order).order_by("board_order", "name")
    return (
        live_grids()
        .select_related("region__parent")
        .prefetch_related(Prefetch("staff", queryset=staff))
        .order_by("code")
    )


class GridListView(ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = GridSerializer
    pagination_class = PortalPagination

    @extend_schema(
        tags=[TAG],
        summary="网格及网格员",
        description=(
            "已发布的网格及其公示的网格长、网格员、网格指导员（姓名与工作电话为公示信息）。"
            "可按乡镇（街道）、村（社区）和网格类型筛选，分页返回。"
        ),
        parameters=[
            *REGION_PARAMETERS,
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                description="网格类型：urban（城市网格）、rural（农村网格）、special（专属网格）",
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        town, village = scope_regions(params)
        qs = grids_queryset()
        if village:
            qs = qs.filter(region=village)
        elif town:
            qs = qs.filter(region__parent=town)
        grid_type = choice_param(params, "type", Grid.GridType)
        if grid_type:
            qs = qs.filter(grid_type=grid_type)
        return qs


class GridDetailView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="单个网格",
        description="按网格编码查询一个已发布的网格及其公示的工作人员。",
        responses={200: GridSerializer},
    )
    def get(self, request, code):
        grid = grids_queryset().filter(code=code).first()
        if grid is None:
            raise NotFound(f"未找到网格编码为“{code}”的网格")
        return Response(GridSerializer(grid).data)
