"""Parse and apply the query parameters of ``requests.json``.

Every bad value becomes a ``ValidationError`` with a Chinese message naming the
parameter, which the views turn into a GeoReport error (400).
"""

from rest_framework.exceptions import ValidationError

from portal.cases.models import CaseCategory
from portal.security.params import InvalidParameter, parse_int

from ..params import parse_datetime_param
from . import mapping

MAX_IDS = 100
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
# Far beyond any real archive, small enough that page × page_size fits every database.
MAX_PAGE = 1_000_000


def _csv(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def parse_positive_int(name, value, default, maximum=MAX_PAGE):
    """A strict positive integer: ASCII digits, at most ``maximum`` (never an overflow)."""
    try:
        return parse_int(value, name, default=default, minimum=1, maximum=maximum)
    except InvalidParameter as error:
        raise ValidationError(error.message) from None


def filter_requests(qs, params):
    """Apply the GeoReport filters; returns (queryset, page, page_size)."""
    page = parse_positive_int("page", params.get("page"), 1)
    page_size = parse_positive_int(
        "page_size", params.get("page_size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
    )
    ids = _csv(params.get("service_request_id"))
    if ids:
        # The spec: when ids are given, the other filters are ignored.
        if len(ids) > MAX_IDS:
            raise ValidationError(f"参数 service_request_id 一次最多 {MAX_IDS} 个编号")
        return qs.filter(number__in=ids), page, page_size

    codes = _csv(params.get("service_code"))
    if codes:
        known = set(CaseCategory.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(f"参数 service_code 中有未知的服务代码：{'、'.join(unknown)}")
        qs = qs.filter(category__code__in=codes)

    start = end = None
    if params.get("start_date"):
        start = parse_datetime_param("start_date", params["start_date"])
        qs = qs.filter(reported_at__gte=start)
    if params.get("end_date"):
        end = parse_datetime_param("end_date", params["end_date"], end_of_day=True)
        qs = qs.filter(reported_at__lte=end)
    if start and end and start > end:
        raise ValidationError("参数 start_date 不能晚于 end_date")

    statuses = _csv(params.get("status"))
    if statuses:
        wrong = [s for s in statuses if s not in (mapping.OPEN, mapping.CLOSED)]
        if wrong:
            raise ValidationError(f"参数 status 只能是 open 或 closed，收到“{'、'.join(wrong)}”")
        wanted = []
        for value in set(statuses):
            wanted += mapping.statuses_for(value)
        qs = qs.filter(status__in=wanted)
    return qs, page, page_size
