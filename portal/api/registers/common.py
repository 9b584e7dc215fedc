"""What every public register view shares: anonymous access, the region filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from portal.snippets.models import Region

from ..params import region_param

TAG = "公开台账"


class PublicAPIView(APIView):
    """Anonymous, read-only, no cookies needed."""

    authentication_classes = []
    permission_classes = [AllowAny]


def scope_regions(params):
    """(town, village) filters from ``?town=`` and ``?village=``; village must be in town."""
    town = region_param(params, "town", Region.Level.TOWN)
    village = region_param(params, "village", Region.Level.VILLAGE)
    if town and village and village.parent_id != town.pk:
        raise ValidationError({"village": [f"“{village.name}”不属于“{town.name}”"]})
    return town, village


REGION_PARAMETERS = [
    OpenApiParameter("town", OpenApiTypes.STR, description="乡镇（街道）编号或名称"),
    OpenApiParameter("village", OpenApiTypes.STR, description="村（社区）编号或名称"),
]
