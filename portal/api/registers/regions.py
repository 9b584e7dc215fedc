"""The region tree (county, towns, villages) as JSON."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from portal.snippets.models import Region

from .common import TAG, PublicAPIView


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
