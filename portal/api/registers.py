"""Public registers as JSON: regions, grids with their staff, case statistics and
disclosure compliance.

Only what is public by design leaves here: grids and the names and work phones
of the staff on each grid's public board; case counts and rates (counts are not
personal data, so every case is counted, public or not), never a case's text;
disclosure compliance as published.
"""

import datetime
import re

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, Value, When
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.cases import stats
from portal.cases.models import Case
from portal.snippets.models import Grid, GridStaff, Region

from .pagination import PortalPagination
from .params import choice_param, int_param, region_param

TAG = "公开台账"


class PublicAPIView(APIView):
    """Anonymous, read-only, no cookies needed."""

    authentication_classes = []
    permission_classes = [AllowAny]


def live_grids():
    """Grids as published: a grid saved as a draft or awaiting approval is not public yet."""
    return Grid.objects.filter(live=True)


def scope_regions(params):
    """(town, village) filters from ``?town=`` and ``?village=``; village must be in town."""
    town = region_param(params, "town", Region.Level.TOWN)
    village = region_param(params, "village", Region.Level.VILLAGE)
    if town and village and village.parent_id != town.pk:
        raise ValidationError({"village": [f"“{village.name}”不属于“{town.name}”"]})
    return town, village


# --- regions ----------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", help_text="层级名称")
    parent_id = serializers.IntegerField(allow_null=True, help_text="上级区划编号")

    class Meta:
        model = Region
        fields = [
            "id",
            "name",
            "level",
            "level_label",
            "code",
            "parent_id",
            "effective_from",
            "effective_until",
        ]


class RegionListView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="行政区划",
        description="区县、乡镇（街道）、村（社区）的树，供按乡镇、村筛选其他接口时使用。",
        responses={200: RegionSerializer(many=True)},
    )
    def get(self, request):
        regions = Region.objects.order_by("level", "sort_order", "name")
        return Response(RegionSerializer(regions, many=True).data)


# --- grids --------------------------------------------------------------------------------


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


REGION_PARAMETERS = [
    OpenApiParameter("town", OpenApiTypes.STR, description="乡镇（街道）编号或名称"),
    OpenApiParameter("village", OpenApiTypes.STR, description="村（社区）编号或名称"),
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


# --- case statistics ------------------------------------------------------------------------


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


# --- disclosure compliance ------------------------------------------------------------------

# ASCII digits only (``\d`` would take "٢٠٢٥"); years are bounded by the disclosure rules.
_PERIOD_PATTERNS = [
    (re.compile(r"^([0-9]{4})$"), "year"),
    (re.compile(r"^([0-9]{4})-?[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})$"), "month"),
]


def parse_period_span(value):
    """``2025`` / ``2025Q1`` / ``2025-03`` → the (first, last) day of that span."""
    from portal.pages import compliance
    from portal.pages import disclosure_rules as rules

    text = (value or "").strip()
    for pattern, kind in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not rules.MIN_YEAR <= year <= rules.MAX_YEAR:
            break
        if kind == "year":
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        number = int(match.group(2))
        if kind == "month" and not 1 <= number <= 12:
            break
        period = compliance.Period(year, number, kind)
        return period.start, period.end
    raise ValidationError(
        {"period": [f"无法识别期间“{value}”，应写成 2025（年）、2025Q1（季度）或 2025-03（月）"]}
    )


class ComplianceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="村（社区）")
    on_time = serializers.IntegerField(help_text="按时公开")
    late = serializers.IntegerField(help_text="逾期公开")
    missing = serializers.IntegerField(help_text="应公开未公开")
    pending = serializers.IntegerField(help_text="未到期")
    on_time_rate = serializers.IntegerField(allow_null=True, help_text="按时公开率（%）")


class ComplianceEntrySerializer(serializers.Serializer):
    village_id = serializers.IntegerField()
    village = serializers.CharField()
    item_id = serializers.IntegerField()
    item = serializers.CharField(help_text="公开目录事项")
    kind = serializers.CharField(help_text="公开类别")
    frequency = serializers.CharField(help_text="公开频次：月度、季度、年度、即时")
    period = serializers.CharField(help_text="期间")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due = serializers.DateField(help_text="应公开日期")
    status = serializers.CharField(help_text="on_time / late / missing / pending")
    status_label = serializers.CharField(help_text="按时、逾期、缺失、未到期")
    published_on = serializers.DateField(allow_null=True, help_text="首次公开日期")
    disclosure_title = serializers.CharField(allow_null=True)
    disclosure_url = serializers.CharField(allow_null=True)


class ComplianceReportSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="评估日期")
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    villages = ComplianceSummarySerializer(many=True)
    count = serializers.IntegerField(help_text="符合条件的明细总数")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    entries = ComplianceEntrySerializer(many=True)


class DisclosureComplianceView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        summary="村务公开情况",
        description=(
            "按公开目录评估每个村（社区）每一期是否按时公开：按时、逾期、缺失或未到期，"
            "附各村汇总和按时公开率。可按乡镇、村和期间筛选，明细分页返回。"
        ),
        parameters=[
            *REGION_PARAMETERS,
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="期间：2025、2025Q1 或 2025-03"
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=["on_time", "late", "missing", "pending"],
                description="只看某一状态",
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="页码"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="每页条数，最多500"),
        ],
        responses={200: ComplianceReportSerializer},
    )
    def get(self, request):
        from portal.pages import compliance

        params = request.query_params
        town, village = scope_regions(params)
        span = parse_period_span(params["period"]) if params.get("period") else (None, None)
        status = (params.get("status") or "").strip() or None
        if status and status not in compliance.STATUS_LABELS:
            raise ValidationError(
                {"status": [f"无法识别“{status}”，可选值：on_time、late、missing、pending"]}
            )
        page = int_param(params, "page", 1)
        page_size = int_param(params, "page_size", 100, 1, 500)

        region_ids = None
        if village:
            region_ids = [village.pk]
        elif town:
            region_ids = [town.pk, *town.children.values_list("pk", flat=True)]
        today = timezone.localdate()
        subjects, _items, entries = compliance.load_report(
            today=today, region_ids=region_ids, request=request
        )
        if span[0]:
            entries = [e for e in entries if e.period.start >= span[0] and e.period.end <= span[1]]
        summaries = compliance.summarise(entries, subjects)
        if status:
            entries = [e for e in entries if e.status == status]
        start = (page - 1) * page_size
        data = {
            "as_of": today,
            "period_from": span[0],
            "period_to": span[1],
            "villages": [
                {
                    "id": s.subject.id,
                    "name": s.subject.name,
                    "on_time": s.count(compliance.ON_TIME),
                    "late": s.count(compliance.LATE),
                    "missing": s.count(compliance.MISSING),
                    "pending": s.count(compliance.PENDING),
                    "on_time_rate": s.on_time_rate,
                }
                for s in summaries
            ],
            "count": len(entries),
            "page": page,
            "page_size": page_size,
            "entries": [_entry(e) for e in entries[start : start + page_size]],
        }
        return Response(ComplianceReportSerializer(data).data)


def _entry(entry):
    disclosure = entry.disclosure
    return {
        "village_id": entry.subject.id,
        "village": entry.subject.name,
        "item_id": entry.item.id,
        "item": entry.item.name,
        "kind": entry.item.kind,
        "frequency": entry.item.frequency_label,
        "period": entry.period.label,
        "period_start": entry.period.start,
        "period_end": entry.period.end,
        "due": entry.due,
        "status": entry.status,
        "status_label": entry.status_label,
        "published_on": disclosure.published_on if disclosure else None,
        "disclosure_title": disclosure.title if disclosure else None,
        "disclosure_url": disclosure.url if disclosure else None,
    }
