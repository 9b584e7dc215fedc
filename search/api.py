"""``GET /api/cases/search/``: the case search as JSON.

Anonymous callers get public cases and their public summaries; authenticated
staff get the cases of their own regions (public or not) with the description
as summary. The same ``search.service.search_cases`` answers the public page.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .params import MAX_PAGE, MAX_PAGE_SIZE, SearchParamError, parse_case_search_params
from .service import audience_for, search_cases

FACET_ENTRY = inline_serializer(
    "CaseSearchFacetEntry",
    {
        "value": serializers.CharField(help_text="传回同名参数即可按此筛选"),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
    },
    many=True,
)

RESPONSE = inline_serializer(
    "CaseSearchResponse",
    {
        "count": serializers.IntegerField(help_text="命中案件总数"),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "results": inline_serializer(
            "CaseSearchResult",
            {
                "number": serializers.CharField(help_text="案件编号"),
                "title": serializers.CharField(),
                "summary": serializers.CharField(help_text="公开摘要（工作人员检索时为事件描述）"),
                "category": serializers.CharField(),
                "status": serializers.CharField(help_text="办理状态名称"),
                "grid": serializers.CharField(),
                "village": serializers.CharField(),
                "reported_at": serializers.DateTimeField(),
                "highlight": inline_serializer(
                    "CaseSearchHighlight",
                    {
                        "title": serializers.CharField(help_text="HTML，命中词以 <mark> 标出"),
                        "summary": serializers.CharField(help_text="HTML 摘录"),
                    },
                ),
            },
            many=True,
        ),
        "facets": serializers.DictField(
            child=FACET_ENTRY,
            help_text="category、status、village、source、year 各自的取值与命中数",
        ),
        "relaxed": serializers.BooleanField(
            help_text="为真时：没有案件同时包含全部关键词，结果为包含部分关键词的案件"
        ),
        "synonyms": serializers.DictField(help_text="检索时使用的同义词"),
    },
)

ERROR = inline_serializer(
    "CaseSearchError",
    {"detail": serializers.CharField(), "errors": serializers.DictField()},
)


def _param(name, description, type_=OpenApiTypes.STR):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description)


class CaseSearchAPIView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["案件检索"],
        summary="案件全文检索",
        description=(
            "中文分词检索，按相关度排序。未登录时只检索公开案件的标题、公开摘要与类别、村（社区）名称；"
            "工作人员登录后检索本辖区全部案件。关键词最长 100 字，超出部分忽略。"
        ),
        parameters=[
            _param("q", "关键词，可写一句话，如“楼道电动车充电”"),
            _param("category", "事件类别代码"),
            _param("status", "办理状态：accepted、dispatched、handling、closed、visited、rated"),
            _param("grid", "网格编码"),
            _param("village", "村（社区）编号", OpenApiTypes.INT),
            _param(
                "source",
                "事件来源：grid_worker、hotline_12345、visit、snapshot、superior、department",
            ),
            _param("year", "上报年份，如 2024", OpenApiTypes.INT),
            _param("page", f"页码，1–{MAX_PAGE}", OpenApiTypes.INT),
            _param("page_size", f"每页条数，1–{MAX_PAGE_SIZE}，默认 20", OpenApiTypes.INT),
        ],
        responses={200: RESPONSE, 400: ERROR},
    )
    def get(self, request):
        try:
            params = parse_case_search_params(request.query_params)
        except SearchParamError as error:
            return Response({"detail": error.message, "errors": error.errors}, status=400)
        page = search_cases(params, audience_for(request.user))
        return Response(page.as_json())
