"""Case statistics: counts and rates only (counts are not personal data), never a case's text."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.cases import stats
from portal.cases.models import Case

from ..params import int_param
from .common import REGION_PARAMETERS, TAG, PublicAPIView, scope_regions


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="状态代码")
    label = serializers.CharField(help_text="状态名称")
    count = serializers.IntegerField()


class CategoryCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="事件类别")
    count = serializers.IntegerField()


class CaseStatisticsSerializer(serializers.Serializer):
    town = serializers.CharField(allow_null=True, help_text="统计范围：乡镇（街道）")
    village = serializers.CharField(allow_null=True, help_text="统计范围：村（社区）")
    month = serializers.CharField(allow_null=True, help_text="统计月份 YYYY-MM（为空表示全部）")
    total = serializers.IntegerField(help_text="案件总数")
    by_status = StatusCountSerializer(many=True)
    by_category = CategoryCountSerializer(many=True)
    closed = serializers.IntegerField(help_text="已办结（含回访、评价）")
    closure_rate = serializers.FloatField(allow_null=True, help_text="办结率（0–1）")
    dispute_closed = serializers.IntegerField(help_text="已办结的矛盾纠纷")
    mediated = serializers.IntegerField(help_text="调解成功的矛盾纠纷")
    mediation_rate = serializers.FloatField(allow_null=True, help_text="化解率（0–1）")
    rated = serializers.IntegerField(help_text="已评价")
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率（0–1）")
    overdue = serializers.IntegerField(help_text="当前超期未办结")


def _cases_in(town, village):
    qs = Case.objects.all()
    if village:
        return qs.filter(village=village)
    if town:
        return qs.filter(village__parent=town)
    return qs


class CaseStatisticsView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="案件统计",
        description=(
            "按状态、类别的案件数量，以及办结率、矛盾纠纷化解率、满意率。统计全部案件"
            "（数量不是个人信息），但不返回任何案件内容。可按乡镇、村和月份筛选。"
        ),
        parameters=[
            *REGION_PARAMETERS,
            OpenApiParameter("month", OpenApiTypes.STR, description="月份，YYYY-MM"),
        ],
        responses={200: CaseStatisticsSerializer},
    )
    def get(self, request):
        town, village = scope_regions(request.query_params)
        month = (request.query_params.get("month") or "").strip() or None
        try:
            figures = stats.case_statistics(_cases_in(town, village), month=month)
        except ValueError as exc:
            raise ValidationError({"month": [str(exc)]}) from None
        labels = dict(Case.Status.choices)
        figures["by_status"] = [
            {"status": key, "label": labels[key], "count": count}
            for key, count in figures["by_status"].items()
        ]
        figures["town"] = town.name if town else (village.parent.name if village else None)
        figures["village"] = village.name if village else None
        return Response(CaseStatisticsSerializer(figures).data)


class VillageMonthlySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="村（社区）")
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="每月上报数")
    closed = serializers.ListField(
        child=serializers.IntegerField(), help_text="其中目前已办结的数量"
    )


class MonthlyCountsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField(), help_text="月份，从早到晚")
    villages = VillageMonthlySerializer(many=True)


class CaseMonthlyView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="各村（社区）逐月案件数",
        description="最近若干个月每个村（社区）上报的案件数及其中已办结的数量。",
        parameters=[
            *REGION_PARAMETERS,
            OpenApiParameter("months", OpenApiTypes.INT, description="月数，1–36，默认12"),
        ],
        responses={200: MonthlyCountsSerializer},
    )
    def get(self, request):
        town, village = scope_regions(request.query_params)
        months = int_param(request.query_params, "months", 12, 1, 36)
        data = stats.monthly_counts(_cases_in(town, village), months)
        return Response(MonthlyCountsSerializer(data).data)
