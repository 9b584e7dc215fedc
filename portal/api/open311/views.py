"""Open311 GeoReport v2 endpoints (JSON and XML, read-only)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.cases.models import CaseCategory
from portal.site_urls import absolute_url

from . import mapping
from .filters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, filter_requests
from .serializers import (
    DiscoverySerializer,
    ErrorSerializer,
    ServiceDefinitionSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
)
from .xml import Open311XMLRenderer, to_xml

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
TAG = "Open311 GeoReport v2"
ERRORS = {
    400: OpenApiResponse(ErrorSerializer(many=True), description="参数错误"),
    404: OpenApiResponse(ErrorSerializer(many=True), description="未找到"),
    429: OpenApiResponse(ErrorSerializer(many=True), description="请求过于频繁"),
}


class UnicodeJSONRenderer(JSONRenderer):
    charset = "utf-8"


class Open311View(APIView):
    """Public, cookie-less, read-only; errors in the GeoReport error format."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [UnicodeJSONRenderer, Open311XMLRenderer]
    xml_root = ""
    xml_item = None

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.ValidationError):
            detail = exc.detail
            if isinstance(detail, list | tuple) and detail:
                detail = detail[0]
            code, description = status.HTTP_400_BAD_REQUEST, str(detail)
        elif isinstance(exc, exceptions.NotFound):
            code, description = status.HTTP_404_NOT_FOUND, str(exc.detail)
        elif isinstance(exc, exceptions.MethodNotAllowed):
            code = status.HTTP_405_METHOD_NOT_ALLOWED
            description = "本接口只提供查询，不接受提交。"
        elif isinstance(exc, exceptions.APIException):
            code, description = exc.status_code, str(exc.detail)
        else:
            return super().handle_exception(exc)
        if getattr(self.request, "accepted_renderer", None) is None:
            self.request.accepted_renderer = self._renderer_for_suffix()
            self.request.accepted_media_type = self.request.accepted_renderer.media_type
        return Response([{"code": code, "description": description}], status=code)

    def _renderer_for_suffix(self):
        if self.kwargs.get("format") == "xml":
            return Open311XMLRenderer()
        return UnicodeJSONRenderer()


class DiscoveryView(Open311View):
    xml_root = "discovery"

    @extend_schema(
        tags=[TAG],
        summary="服务发现",
        description="GeoReport v2 服务发现文档：接口地址、支持的格式和联系方式。",
        responses={200: DiscoverySerializer},
    )
    def get(self, request, format=None):
        base = absolute_url(request, "/open311/v2/")  # the Site's host, never the Host header
        changeset = getattr(settings, "OPEN311_CHANGESET", "2026-01-01T00:00:00+08:00")
        data = {
            "changeset": changeset,
            "contact": getattr(
                settings, "OPEN311_CONTACT", "请联系所在街道（乡镇）综治中心或拨打12345热线"
            ),
            "key_service": "本接口只读，无需申请 API key",
            "endpoints": [
                {
                    "specification": SPEC_URL,
                    "url": base,
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }
        return Response(DiscoverySerializer(data).data)


class ServiceListView(Open311View):
    xml_root = "services"
    xml_item = "service"

    @extend_schema(
        tags=[TAG],
        summary="服务列表（事件类别）",
        description="全部事件类别，每个类别对应一个 GeoReport 服务，service_code 为类别代码。",
        responses={200: ServiceSerializer(many=True)},
    )
    def get(self, request, format=None):
        categories = CaseCategory.objects.order_by("name")
        return Response(ServiceSerializer(categories, many=True).data)


class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

    @extend_schema(
        tags=[TAG],
        summary="服务定义",
        description="某一事件类别的服务定义；本系统不需要附加属性，attributes 为空列表。",
        responses={200: ServiceDefinitionSerializer, 404: ERRORS[404]},
    )
    def get(self, request, service_code, format=None):
        category = CaseCategory.objects.filter(code=service_code).first()
        if category is None:
            raise exceptions.NotFound(f"未找到服务代码为“{service_code}”的事件类别")
        return Response(ServiceDefinitionSerializer(category).data)


class ServiceRequestListView(Open311View):
    xml_root = "service_requests"
    xml_item = "request"

    @extend_schema(
        tags=[TAG],
        summary="公开事件列表",
        description=(
            "已公开的事件（按上报时间从新到旧）。只含面向公众的匿名摘要、类别、状态、"
            "所属村（社区）和网格，不含任何姓名、电话或具体地点。给出 service_request_id 时"
            "忽略其他筛选条件。响应头 X-Total-Count 为符合条件的总数。"
        ),
        parameters=[
            OpenApiParameter(
                "service_request_id", OpenApiTypes.STR, description="事件编号，多个以逗号分隔"
            ),
            OpenApiParameter(
                "service_code", OpenApiTypes.STR, description="服务代码，多个以逗号分隔"
            ),
            OpenApiParameter(
                "start_date", OpenApiTypes.DATETIME, description="最早上报时间（ISO 8601）"
            ),
            OpenApiParameter(
                "end_date",
                OpenApiTypes.DATETIME,
                description="最晚上报时间（ISO 8601；只给日期时包含当天）",
            ),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=["open", "closed"], description="办理状态"
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="页码，从1开始"),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}",
            ),
        ],
        responses={200: ServiceRequestSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request, format=None):
        qs, page, page_size = filter_requests(mapping.public_cases(), request.query_params)
        qs = qs.select_related("category", "grid", "village").order_by("-reported_at", "-id")
        total = qs.count()
        offset = (page - 1) * page_size
        cases = list(qs[offset : offset + page_size])
        response = Response(ServiceRequestSerializer(cases, many=True).data)
        response["X-Total-Count"] = str(total)
        return response


class ServiceRequestDetailView(Open311View):
    xml_root = "service_requests"
    xml_item = "request"

    @extend_schema(
        tags=[TAG],
        summary="单个公开事件",
        description="按事件编号查询一个公开事件；按规范返回只含一项的列表。未公开的事件视为不存在。",
        responses={200: ServiceRequestSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, service_request_id, format=None):
        case = (
            mapping.public_cases()
            .select_related("category", "grid", "village")
            .filter(number=service_request_id)
            .first()
        )
        if case is None:
            raise exceptions.NotFound(f"未找到编号为“{service_request_id}”的公开事件")
        return Response(ServiceRequestSerializer([case], many=True).data)


def not_found(request, rest=""):
    """Any other /open311/ URL: a GeoReport error, not the site's HTML 404 page."""
    errors = [{"code": 404, "description": "没有这个 Open311 接口地址"}]
    if request.path.endswith(".xml"):
        body = to_xml("errors", "error", errors)
        return HttpResponse(body, status=404, content_type="text/xml; charset=utf-8")
    return JsonResponse(
        errors,
        status=404,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
