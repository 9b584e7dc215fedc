"""OpenAPI schema hooks and the offline API docs page."""

from django.views.generic import TemplateView

# Only these URL prefixes belong in the published schema: the Wagtail admin and
# Django's own views are not APIs for outside callers.
SCHEMA_PREFIXES = ("/api/", "/open311/")
# Wagtail's API v2 viewsets cannot be introspected by drf-spectacular (they need
# the router on the request); they are described by hand in WAGTAIL_V2_PATHS.
EXCLUDED_PREFIXES = ("/api/schema/", "/api/docs/", "/api/v2/")


def only_portal_endpoints(endpoints, **kwargs):
    """Preprocessing hook: keep the portal's public API paths."""
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if path.startswith(SCHEMA_PREFIXES) and not path.startswith(EXCLUDED_PREFIXES)
    ]


def _param(name, kind, description, location="query", required=False):
    return {
        "name": name,
        "in": location,
        "required": required,
        "description": description,
        "schema": {"type": kind},
    }


_LISTING_PARAMS = [
    _param("type", "string", "页面类型，如 pages.NoticePage（仅页面接口）"),
    _param("fields", "string", "要返回的字段，以逗号分隔；* 表示全部"),
    _param("limit", "integer", "每页条数（最多100）"),
    _param("offset", "integer", "偏移量"),
    _param("order", "string", "排序字段，如 -first_published_at"),
    _param("search", "string", "搜索词（支持中文分词）"),
    _param("child_of", "integer", "只返回某页面的子页面（仅页面接口）"),
    _param("descendant_of", "integer", "只返回某页面的后代页面（仅页面接口）"),
]
_ITEM = {"type": "object", "additionalProperties": True, "description": "条目，字段因类型而异"}
_LISTING = {
    "type": "object",
    "properties": {
        "meta": {"type": "object", "properties": {"total_count": {"type": "integer"}}},
        "items": {"type": "array", "items": _ITEM},
    },
}
_WAGTAIL_V2 = {
    "pages": ("已发布的页面：通知公告、村务公开、政策文件等", "页面"),
    "images": ("图片", "图片"),
    "documents": ("文档附件", "文档"),
}


def _wagtail_v2_paths():
    paths = {}
    for name, (listing_text, item_text) in _WAGTAIL_V2.items():
        paths[f"/api/v2/{name}/"] = {
            "get": {
                "operationId": f"wagtail_v2_{name}_list",
                "tags": ["Wagtail 内容接口 v2"],
                "summary": f"{item_text}列表",
                "description": f"Wagtail API v2：{listing_text}。只含已公开的内容。",
                "parameters": _LISTING_PARAMS,
                "responses": {
                    "200": {
                        "description": "列表",
                        "content": {"application/json": {"schema": _LISTING}},
                    }
                },
            }
        }
        paths[f"/api/v2/{name}/{{pk}}/"] = {
            "get": {
                "operationId": f"wagtail_v2_{name}_detail",
                "tags": ["Wagtail 内容接口 v2"],
                "summary": f"单个{item_text}",
                "description": f"Wagtail API v2：按编号读取一个{item_text}。",
                "parameters": [
                    _param("pk", "integer", f"{item_text}编号", "path", True),
                    _param("fields", "string", "要返回的字段，以逗号分隔"),
                ],
                "responses": {
                    "200": {
                        "description": item_text,
                        "content": {"application/json": {"schema": _ITEM}},
                    },
                    "404": {"description": "未找到"},
                },
            }
        }
        paths[f"/api/v2/{name}/find/"] = {
            "get": {
                "operationId": f"wagtail_v2_{name}_find",
                "tags": ["Wagtail 内容接口 v2"],
                "summary": f"查找{item_text}",
                "description": "按条件查找唯一的一条（如页面的 html_path），重定向到其详情地址。",
                "parameters": [_param("html_path", "string", "页面路径，如 /notices/（仅页面）")],
                "responses": {
                    "302": {"description": "重定向到详情"},
                    "404": {"description": "未找到"},
                },
            }
        }
    return paths


def finish_schema(result, generator, request, public):
    """Postprocessing hook.

    * adds Wagtail's API v2 (described by hand, see EXCLUDED_PREFIXES);
    * a ``.json`` Open311 path answers in JSON only, a ``.xml`` one in XML only.
    """
    result.setdefault("paths", {}).update(_wagtail_v2_paths())
    for path, operations in result["paths"].items():
        wanted = (
            "application/json"
            if path.endswith(".json")
            else "text/xml"
            if path.endswith(".xml")
            else None
        )
        if wanted is None:
            continue
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content")
                if content and wanted in content:
                    response["content"] = {wanted: content[wanted]}
    return result


class ApiDocsView(TemplateView):
    """Swagger UI from drf-spectacular-sidecar's local copy: no CDN, no inline script
    (the start-up code is a static file that reads the schema URL from a data attribute)."""

    template_name = "api/docs.html"
