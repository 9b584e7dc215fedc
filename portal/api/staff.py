"""Token-authenticated endpoints for staff scripts: who am I, the cases in my scope.

Every query goes through ``portal.snippets.scope`` so a token sees exactly what
its user sees in the admin. Reporter names and phones are left out even here:
a script that moves data about has no need of them, and what is not sent cannot
leak from a log or a spreadsheet.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.cases.models import Case
from portal.cases.queries import annotate_overdue, overdue_q
from portal.snippets.models import Region
from portal.snippets.scope import ALL, region_ids_in_scope, restrict_to_scope

from .pagination import PortalPagination
from .params import choice_param, int_param, parse_datetime_param
from .permissions import CanViewCases, IsPortalStaff

TAG = "工作人员接口（需令牌）"


class ScopeRegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = Region
        fields = ["id", "name", "level", "level_label", "parent_id"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(help_text="姓名")
    groups = serializers.ListField(child=serializers.CharField(), help_text="所属角色")
    all_regions = serializers.BooleanField(help_text="是否可见全部区划（超级管理员）")
    regions = ScopeRegionSerializer(many=True, help_text="可见的区划（含下级）")


class MeView(APIView):
    permission_classes = [IsPortalStaff]

    @extend_schema(
        tags=[TAG],
        summary="当前用户与辖区",
        description="令牌所属用户、角色和可见区划；其他工作人员接口都按此辖区过滤。",
        responses={200: MeSerializer},
    )
    def get(self, request):
        user = request.user
        scope = region_ids_in_scope(user)
        regions = Region.objects.order_by("level", "sort_order", "name")
        if scope is not ALL:
            regions = regions.filter(pk__in=scope)
        data = {
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "all_regions": scope is ALL,
            "regions": regions,
        }
        return Response(MeSerializer(data).data)


class StaffCaseSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    category_code = serializers.CharField(source="category.code")
    status_label = serializers.CharField(source="get_status_display")
    source_label = serializers.CharField(source="get_source_display")
    tier_label = serializers.CharField(source="get_tier_display")
    grid_code = serializers.CharField(source="grid.code")
    grid = serializers.CharField(source="grid.name")
    village = serializers.CharField(source="village.name")
    overdue = serializers.SerializerMethodField(help_text="是否超期")

    class Meta:
        model = Case
        fields = [
            "number",
            "title",
            "description",
            "category",
            "category_code",
            "source",
            "source_label",
            "status",
            "status_label",
            "tier",
            "tier_label",
            "grid_code",
            "grid",
            "village",
            "place",
            "handler_unit",
            "reported_at",
            "deadline",
            "closed_at",
            "resolution",
            "satisfaction",
            "overdue",
            "is_public",
            "public_summary",
            "updated_at",
        ]

    def get_overdue(self, case) -> bool:
        flag = getattr(case, "overdue_flag", None)
        return case.is_overdue if flag is None else bool(flag)


def scoped_cases(user):
    qs = Case.objects.select_related("category", "grid", "village")
    return restrict_to_scope(qs, user, "village_id")


class StaffCaseListView(ListAPIView):
    permission_classes = [CanViewCases]
    serializer_class = StaffCaseSerializer
    pagination_class = PortalPagination

    @extend_schema(
        tags=[TAG],
        summary="辖区内的案件",
        description="令牌用户辖区内的案件（不含反映人姓名、电话），按上报时间从新到旧分页返回。",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="状态代码或中文名，如 handling 或 处置"
            ),
            OpenApiParameter("category", OpenApiTypes.STR, description="类别代码"),
            OpenApiParameter("village", OpenApiTypes.INT, description="村（社区）编号"),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="只看超期案件"),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="增量同步"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        qs = annotate_overdue(scoped_cases(self.request.user))
        status = choice_param(params, "status", Case.Status)
        if status:
            qs = qs.filter(status=status)
        if params.get("category"):
            qs = qs.filter(category__code=params["category"].strip())
        if params.get("village"):
            qs = qs.filter(village_id=int_param(params, "village", None))
        if (params.get("overdue") or "").lower() in {"1", "true", "yes"}:
            qs = qs.filter(overdue_q())
        if params.get("updated_since"):
            qs = qs.filter(
                updated_at__gte=parse_datetime_param("updated_since", params["updated_since"])
            )
        return qs.order_by("-reported_at", "-id")


class StaffCaseDetailView(APIView):
    permission_classes = [CanViewCases]

    @extend_schema(
        tags=[TAG],
        summary="辖区内的单个案件",
        description="按案件编号查询；辖区外的案件视为不存在（404）。",
        responses={200: StaffCaseSerializer},
    )
    def get(self, request, number):
        case = scoped_cases(request.user).filter(number=number).first()
        if case is None:
            raise NotFound(f"你的辖区内没有编号为“{number}”的案件")
        return Response(StaffCaseSerializer(case).data)
