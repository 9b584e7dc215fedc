"""Village-affairs disclosure compliance as published: on time, late, missing, pending."""

import datetime
import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..params import int_param
from .common import REGION_PARAMETERS, TAG, PublicAPIView, scope_regions

# ASCII digits only (``\d`` would take "٢٠٢٥"); years are bounded by the disclosure rules.
_PERIOD_PATTERNS = [
    (re.compile(r"^([0-9]{4})$"), "year"),
    (re.compile(r"^([0-9]{4})-?[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})$"), "month"),
]


def parse_period_span(value):
    """``2025`` / ``2025Q1`` / ``2025-03`` → the (first, last) day of that span."""
    from portal.pages.disclosures import compliance, rules

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
        from portal.pages.disclosures import compliance

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
