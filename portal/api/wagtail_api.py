"""Wagtail API v2 router: pages, images and documents at /api/v2/.

The stock endpoints parse ``offset``, ``limit``, ``id``, ``child_of`` … with
``int()``: ``offset=99999999999999999999`` passes and overflows the database
(a 500), ``id=²`` raises deep inside a filter. The subclasses below check every
integer parameter with the portal's strict parser first and answer a Chinese 400
(``{"message": …}``, the shape Wagtail's own errors have).
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.security.params import InvalidParameter, parse_int

# Large enough for any real listing; small enough for every database's OFFSET.
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**31 - 1
# Parameters that take a page/object id; the page filters also accept "root".
ID_PARAMETERS = ("id", "child_of", "ancestor_of", "descendant_of", "translation_of")


def check_integer_parameters(request):
    """Raise ``BadRequestError`` (400) with a Chinese message for any bad integer parameter."""
    params = request.GET
    for name, value in params.lists():
        if any("\x00" in item for item in value) or "\x00" in name:
            raise BadRequestError(f"参数 {name.replace(chr(0), '')} 含有不允许的空字符")
    try:
        parse_int(params.get("offset"), "offset", minimum=0, maximum=MAX_OFFSET)
        parse_int(params.get("limit"), "limit", minimum=0, maximum=MAX_OFFSET)
        for name in ID_PARAMETERS:
            value = params.get(name)
            if value is not None and not (name != "id" and value == "root"):
                parse_int(value, name, minimum=1, maximum=MAX_ID)
    except InvalidParameter as error:
        raise BadRequestError(error.message) from None


class StrictParametersMixin:
    def check_query_parameters(self, queryset):
        check_integer_parameters(self.request)
        return super().check_query_parameters(queryset)

    def find_view(self, request):
        check_integer_parameters(request)
        return super().find_view(request)


class PortalPagesAPIViewSet(StrictParametersMixin, PagesAPIViewSet):
    pass


class PortalImagesAPIViewSet(StrictParametersMixin, ImagesAPIViewSet):
    pass


class PortalDocumentsAPIViewSet(StrictParametersMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)
