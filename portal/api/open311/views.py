"""Open311 GeoReport v2 endpoints (JSON and XML).

Reading is public and key-less (public cases only). Writing (``POST
requests.json``) needs an ``api_key`` issued to a client application; a key may
also read back the requests it submitted, by id or by token, before staff make
them public — with the same public fields only, never the contact data.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.models import Open311Submission
from portal.cases.models import CaseCategory
from portal.security.ratelimit import count_hit
from portal.site_urls import absolute_url

from . import keys, mapping
from .filters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, filter_requests
from .serializers import (
    DiscoverySerializer,
    ErrorSerializer,
    ServiceDefinitionSerializer,
    ServiceRequestCreatedSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
    TokenSerializer,
)
from .submit import MAX_DESCRIPTION, submit
from .xml import Open311XMLRenderer, to_xml

logger = logging.getLogger(__name__)

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
TAG = "Open311 GeoReport v2"
ERRORS = {
    400: OpenApiResponse(ErrorSerializer(many=True), description="参数错误"),
    403: OpenApiResponse(ErrorSerializer(many=True), description="api_key 无效或已吊销"),
    404: OpenApiResponse(ErrorSerializer(many=True), description="未找到"),
    429: OpenApiResponse(ErrorSerializer(many=True), description="请求过于频繁"),
}


class UnicodeJSONRenderer(JSONRenderer):
    charset = "utf-8"


class Open311View(APIView):
    """Public and cookie-less; errors in the GeoReport error format (a list of code + description)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser]
    renderer_classes = [UnicodeJSONRenderer, Open311XMLRenderer]
    xml_root = ""
    xml_item = None

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
            exc = exceptions.APIException("提交的内容过大或参数过多，请精简后重试")
            exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        if isinstance(exc, exceptions.ValidationError):
            detail = exc.detail
            if isinstance(detail, list | tuple) and detail:
                detail = detail[0]
            code, description = status.HTTP_400_BAD_REQUEST, str(detail)
        elif isinstance(exc, exceptions.NotFound):
            code, description = status.HTTP_404_NOT_FOUND, str(exc.detail)
        elif isinstance(exc, exceptions.MethodNotAllowed):
            code = status.HTTP_405_METHOD_NOT_ALLOWED
            description = "本接口地址不接受该请求方法。"
        elif isinstance(exc, exceptions.UnsupportedMediaType):
            code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
            description = "请以 application/x-www-form-urlencoded 或 multipart/form-data 提交"
        elif isinstance(exc, exceptions.APIException):
            code, description = exc.status_code, str(exc.detail)
        else:
            return super().handle_exception(exc)
        if getattr(self.request, "accepted_renderer", None) is None:
            self.request.accepted_renderer = self._renderer_for_suffix()
            self.request.accepted_media_type = self.request.accepted_renderer.media_type
        response = Response([{"code": code, "description": description}], status=code)
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    def _renderer_for_suffix(self):
        if self.kwargs.get("format") == "xml":
            return Open311XMLRenderer()
        return UnicodeJSONRenderer()

    def presented_key(self, required):
        """The active key of ``api_key`` (body or query string), or None.

        ``required``: a missing, unknown or revoked key is a 403 (GeoReport's
        "invalid api_key"). Otherwise a key that is given must still be valid.
        """
        raw = self.request.query_params.get("api_key")
        if raw is None and self.request.method == "POST":
            raw = self.request.data.get("api_key")
        if not raw:
            if required:
                raise exceptions.PermissionDenied("缺少 api_key，提交诉求须使用已登记应用的 key")
            return None
        key = keys.key_for(raw)
        if key is None:
            raise exceptions.PermissionDenied("api_key 无效或已被吊销")
        return key


def keyed(response, key):
    """An answer that depends on a key is never stored by the page cache or a proxy."""
    if key is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def check_key_rate(key):
    """Count one write by ``key``; 429 when over ``RATE_LIMITS["open311_write"]`` (per key)."""
    wait = count_hit("open311_write", f"key{key.pk}")
    if wait:
        raise exceptions.Throttled(wait=wait, detail=f"该 key 提交过于频繁，请在 {wait} 秒后再试。")


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
            "key_service": getattr(
                settings,
                "OPEN311_KEY_SERVICE",
                "查询无需 key；提交诉求须使用区县管理员为应用签发的 api_key，请联系区县综治中心申请",
            ),
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
        description=(
            "某一事件类别的服务定义：提交诉求时须回答的附加属性（attribute[代码]）。"
            "所有类别都问紧急程度和是否仍在持续，矛盾纠纷类另问涉及人数和此前的调解。"
        ),
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
        key = self.presented_key(required=False)
        qs, page, page_size = filter_requests(mapping.visible_cases(key), request.query_params)
        qs = qs.select_related("category", "grid", "village").order_by("-reported_at", "-id")
        total = qs.count()
        offset = (page - 1) * page_size
        cases = list(qs[offset : offset + page_size])
        response = Response(ServiceRequestSerializer(cases, many=True).data)
        response["X-Total-Count"] = str(total)
        return keyed(response, key)

    @extend_schema(
        tags=[TAG],
        summary="提交诉求（需 api_key）",
        description=(
            "以 application/x-www-form-urlencoded 提交一条诉求，登记为“受理”状态的案件并分配事件编号。"
            "必填：api_key、service_code、description（不超过 "
            f"{MAX_DESCRIPTION} 字）、位置（lat+long、address_string 或 address_id 三选一；"
            "坐标不在任何网格内时须另给 address_string 或 address_id），以及服务定义中必填的 "
            "attribute[代码]。first_name、last_name、phone、email 只供工作人员联系，任何查询接口都不返回。"
            "返回 service_request_id 和 token（可用 tokens/{token}.json 查询）。"
        ),
        request={
            "application/x-www-form-urlencoded": {
                "type": "object",
                "required": ["api_key", "service_code", "description"],
                "properties": {
                    name: {"type": "string", "description": text}
                    for name, text in (
                        ("api_key", "应用的 key"),
                        ("service_code", "服务代码"),
                        ("description", "问题描述"),
                        ("lat", "纬度（十进制度，与网格边界同一坐标系）"),
                        ("long", "经度"),
                        ("address_string", "地址（小区、组、街巷），按网格覆盖范围匹配网格"),
                        ("address_id", "网格编码"),
                        ("first_name", "名（不公开）"),
                        ("last_name", "姓（不公开）"),
                        ("phone", "联系电话（不公开）"),
                        ("email", "电子邮箱（不公开）"),
                    )
                },
            }
        },
        responses={
            201: ServiceRequestCreatedSerializer(many=True),
            400: ERRORS[400],
            403: ERRORS[403],
            429: ERRORS[429],
        },
    )
    def post(self, request, format=None):
        key = self.presented_key(required=True)
        check_key_rate(key)
        submission = submit(key, request.data)
        keys.touch(key)
        data = ServiceRequestCreatedSerializer([submission], many=True).data
        return Response(data, status=status.HTTP_201_CREATED)


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
        key = self.presented_key(required=False)
        case = (
            mapping.visible_cases(key)
            .select_related("category", "grid", "village")
            .filter(number=service_request_id)
            .first()
        )
        if case is None:
            raise exceptions.NotFound(f"未找到编号为“{service_request_id}”的公开事件")
        return keyed(Response(ServiceRequestSerializer([case], many=True).data), key)


class TokenView(Open311View):
    xml_root = "service_requests"
    xml_item = "request"

    @extend_schema(
        tags=[TAG],
        summary="按回执令牌查询事件编号",
        description="提交诉求时返回的 token 对应的 service_request_id。令牌未知时返回 404。",
        responses={200: TokenSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, token, format=None):
        submission = (
            Open311Submission.objects.select_related("case").filter(token=token[:40]).first()
        )
        if submission is None:
            raise exceptions.NotFound("未找到该回执令牌")
        return Response(TokenSerializer([submission], many=True).data)


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
