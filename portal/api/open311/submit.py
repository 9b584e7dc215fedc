"""``POST requests.json``: turn a GeoReport v2 service request into a case.

The case is made by ``portal.cases.services.create_case`` (the one door), as a
trusted system caller: the ``api_key`` is the authority, there is no staff user.
It is registered as 受理 with the source below, in the grid the location names
and that grid's village, and gets the next case number.

Location, most precise first:

* ``address_id`` — a grid code; unknown codes are refused;
* ``lat`` + ``long`` — the grid whose boundary contains the point. A point in no
  grid (outside the town, or a grid without a boundary) is not guessed at: the
  request falls back to ``address_string`` when one is given, else it is
  refused with 400, so that no case is filed in the wrong village;
* ``address_string`` — resolved with the grid place finder
  (``portal.snippets.grid_places.resolve_address``: coverage, grid and village
  names, Chinese segmentation); an ambiguous or unknown place is refused.

The place as given (address text, coordinates) goes into the case's 发生地点,
which staff see and no public view shows. Contact fields (``first_name``,
``last_name``, ``phone``, ``email``) are kept for staff only, in
the case's reporter fields (name, phone, e-mail); no GET ever returns them.

Text is cleaned before anything else sees it: Unicode NFC, control, zero-width
and bidirectional-override characters removed (a ``U+202E`` would make a
description read backwards in the admin), length capped by refusing, never by
cutting.
"""

import math
import re
import secrets
import unicodedata

from django.core.validators import validate_email
from django.db import transaction
from rest_framework.exceptions import ValidationError

from portal.api.models import Open311Submission
from portal.cases.models import Case, CaseCategory
from portal.cases.services import CaseRuleError, create_case
from portal.snippets.grid_places import AddressProblem, resolve_address
from portal.snippets.grid_points import grid_at
from portal.snippets.models import Grid
from portal.snippets.models.grids import normalise_grid_code

from . import attributes

MAX_DESCRIPTION = 4000  # the GeoReport v2 limit for description
MAX_ADDRESS = 200
MAX_NAME = 20
TITLE_LENGTH = 30

# 网上诉求 when the case register has that source, else 随手拍 (a resident's own report
# through an app, the nearest of today's sources). Looked up by label, not by
# member name, so a source added later under any name is picked up.
ONLINE_LABEL = "网上诉求"


def open311_source():
    for value, label in Case.Source.choices:
        if label == ONLINE_LABEL:
            return value
    return Case.Source.SNAPSHOT


_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # control characters but \t \n \r
    "\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
_COORDINATE = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{1,12})?$", re.ASCII)


def clean_text(value):
    """NFC text without control, zero-width or bidi characters; CRLF → LF; stripped."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text).strip()


def _one(data, name):
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    values = [v for v in values if v not in (None, "")]
    if len(values) > 1:
        raise ValidationError(f"参数 {name} 只能出现一次")
    return values[0] if values else ""


def _category(data):
    code = clean_text(_one(data, "service_code"))
    if not code:
        raise ValidationError(
            "缺少必填参数 service_code（服务代码），可用的服务代码见 services.json"
        )
    category = CaseCategory.objects.filter(code=code[:30]).first()
    if category is None or len(code) > 30:
        raise ValidationError(f"service_code“{code[:30]}”不存在，可用的服务代码见 services.json")
    return category


def _description(data):
    text = clean_text(_one(data, "description"))
    if not text:
        raise ValidationError("缺少必填参数 description（问题描述）")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            f"参数 description 不能超过 {MAX_DESCRIPTION} 个字，收到 {len(text)} 个字"
        )
    return text


def _coordinate(data, name, limit):
    raw = str(_one(data, name)).strip()
    if not raw:
        return None
    if not _COORDINATE.match(raw):
        raise ValidationError(f"参数 {name} 应为十进制度数，如 32.123456，收到“{raw[:30]}”")
    value = float(raw)
    if not math.isfinite(value) or abs(value) > limit:
        raise ValidationError(f"参数 {name} 超出范围（±{limit}）")
    return value


def _live_grids():
    return Grid.objects.filter(live=True)


def locate(data):
    """``(grid, place text)`` for the request's location, or raise ``ValidationError``."""
    address_id = clean_text(_one(data, "address_id"))
    address = clean_text(_one(data, "address_string"))
    if len(address) > MAX_ADDRESS:
        raise ValidationError(f"参数 address_string 不能超过 {MAX_ADDRESS} 个字")
    lat = _coordinate(data, "lat", 90)
    lon = _coordinate(data, "long", 180)
    if (lat is None) != (lon is None):
        raise ValidationError("参数 lat 和 long 须同时提供")
    place = address
    if lat is not None:
        place = " ".join(p for p in (address, f"（坐标 {lat}, {lon}）") if p)

    if address_id:
        code = normalise_grid_code(address_id[:40])
        grid = _live_grids().filter(code=code).first()
        if grid is None:
            raise ValidationError(f"address_id“{address_id[:30]}”不是已登记的网格编码")
        return grid, place
    if lat is not None:
        grid = grid_at(lat, lon, _live_grids())
        if grid is not None:
            return grid, place
        if not address:
            raise ValidationError(
                f"坐标（{lat}, {lon}）不在任何网格范围内，"
                "请同时提供 address_string（地址）或 address_id（网格编码）"
            )
    if address:
        try:
            return resolve_address(address, _live_grids()), place
        except AddressProblem as problem:
            raise ValidationError(str(problem)) from None
    raise ValidationError(
        "缺少位置：请提供 lat 和 long（坐标）、address_string（地址）或 address_id（网格编码）之一"
    )


def contact(data):
    """``(name, phone, email)`` of the requester, cleaned (all optional, all private)."""
    last = clean_text(_one(data, "last_name"))
    first = clean_text(_one(data, "first_name"))
    name = f"{last}{first}" if _is_cjk(last + first) else " ".join(p for p in (first, last) if p)
    if len(name) > MAX_NAME:
        raise ValidationError(f"姓名（first_name、last_name）合计不能超过 {MAX_NAME} 个字")
    phone = clean_text(_one(data, "phone"))[:40]
    email = clean_text(_one(data, "email"))
    if email:
        try:
            validate_email(email)
        except Exception:  # noqa: BLE001 - Django's ValidationError, reworded
            raise ValidationError(f"参数 email“{email[:40]}”不是有效的电子邮箱地址") from None
    return name, phone, email


def _is_cjk(text):
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _case_description(text, answers, key):
    lines = [text]
    if answers:
        lines.append("")
        lines.extend(f"{label}：{value}" for label, value in answers)
    lines.append("")
    lines.append(f"（通过 Open311 接口提交，应用：{key.name}）")
    return "\n".join(lines)


def _title(category, text):
    first_line = text.splitlines()[0] if text else ""
    if len(first_line) > TITLE_LENGTH:
        first_line = first_line[:TITLE_LENGTH] + "…"
    return f"{category.name}：{first_line}" if first_line else category.name


def _case_errors(error):
    """The first message of a ``CaseRuleError``, named after the GeoReport parameter."""
    fields = {
        "reporter_phone": "phone",
        "reporter_name": "first_name/last_name",
        "place": "address_string",
    }
    if hasattr(error, "message_dict"):
        for name, messages in error.message_dict.items():
            return f"参数 {fields.get(name, name)}：{messages[0]}"
    return "；".join(error.messages)


def submit(key, data):
    """Create the case for a service request posted with ``key``. Returns the ``Open311Submission``."""
    category = _category(data)
    description = _description(data)
    grid, place = locate(data)
    answers = attributes.parse_answers(category, data, clean_text)
    name, phone, email = contact(data)
    grid = Grid.objects.select_related("region").get(pk=grid.pk)
    with transaction.atomic():
        try:
            case = create_case(
                user=None,
                title=_title(category, description),
                description=_case_description(description, answers, key),
                category=category,
                source=open311_source(),
                grid=grid,
                place=place[:MAX_ADDRESS],
                reporter_name=name,
                reporter_phone=phone,
                reporter_email=email,
            )
        except CaseRuleError as error:
            raise ValidationError(_case_errors(error)) from None
        return Open311Submission.objects.create(key=key, case=case, token=secrets.token_urlsafe(18))
