"""A resident's report (网上诉求 / 随手拍): the one door from the public form to a case.

``report_case`` turns what a resident typed into a ``Case`` through
``services.create_case_once`` (source 网上诉求, status 受理, the grid's
village, a case number), attaches the photos (``photos.attach_photos``:
re-encoded, EXIF stripped, private) and sets the private query code
(``tracking``), all in one transaction: a bad photo or a refused rule leaves
nothing behind. The same form token sent again returns the case already made,
with the same code.

Abuse limits (``post_refusal``, ``phone_refusal``) are the rate limiter's
buckets (``portal.security.ratelimit.count_hit``): every POST counts per client
address (``RATE_LIMITS["case_report_address"]``), and every new report per
phone number (``RATE_LIMITS["case_report_phone"]``).
"""

import logging
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from portal.security.ratelimit import client_address, count_hit
from portal.snippets.models import Grid, GridStaff, Region

from . import services, tracking
from .models import Case, CaseCategory
from .photos import attach_photos

logger = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
# Above this many grids one select is too long for a phone: choose the village first.
GRID_SELECT_MAX = 300


def new_form_token():
    """A fresh one-time token for a report form (see ``tracking`` for its use)."""
    return secrets.token_urlsafe(32)


def valid_token(token):
    return bool(TOKEN_RE.match(token or ""))


def post_refusal(request):
    """Seconds to wait when this client has posted the form too often, else 0 (counts one)."""
    return count_hit("case_report_address", client_address(request))


def phone_refusal(phone):
    """Seconds to wait when this phone has reported too often, else 0 (counts one)."""
    return count_hit("case_report_phone", phone)


def too_many_message(seconds):
    minutes = max(1, -(-seconds // 60))
    if minutes >= 120:
        return f"提交过于频繁，请在 {-(-minutes // 60)} 小时后再试；紧急情况请拨打 12345 或 110。"
    return f"提交过于频繁，请在 {minutes} 分钟后再试；紧急情况请拨打 12345 或 110。"


# --- where: grids grouped by village ---------------------------------------------------


def _effective_q(prefix=""):
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}effective_from__isnull": True})
        | Q(**{f"{prefix}effective_from__lte": today})
    ) & (
        Q(**{f"{prefix}effective_until__isnull": True})
        | Q(**{f"{prefix}effective_until__gt": today})
    )


def reportable_grids(village_id=None):
    """Live grids of effective villages, by town, village and code (leaders prefetched)."""
    qs = (
        Grid.objects.filter(live=True)
        .filter(_effective_q("region__"))
        .select_related("region__parent")
        .order_by("region__parent__sort_order", "region__sort_order", "region__name", "code")
    )
    if village_id is not None:
        qs = qs.filter(region_id=village_id)
    return qs.prefetch_related(
        Prefetch(
            "staff",
            queryset=GridStaff.objects.filter(role=GridStaff.Role.LEADER).order_by("name"),
            to_attr="leaders",
        )
    )


def reportable_villages():
    return (
        Region.objects.filter(level=Region.Level.VILLAGE, grids__live=True)
        .filter(_effective_q())
        .select_related("parent")
        .distinct()
        .order_by("parent__sort_order", "sort_order", "name")
    )


def village_label(village):
    return f"{village.parent.name} · {village.name}" if village.parent_id else village.name


def grid_label(grid):
    """A grid as a resident recognises it: its name and its leader (public on its board)."""
    leaders = getattr(grid, "leaders", [])
    if leaders:
        return f"{grid.name}（网格长：{leaders[0].name}）"
    return grid.name


def grid_choices(grids):
    """Select choices grouped by village (``<optgroup>``), for a form field."""
    groups, current, label = [], None, None
    for grid in grids:
        if current is None or grid.region_id != current:
            current = grid.region_id
            label = village_label(grid.region)
            groups.append((label, []))
        groups[-1][1].append((str(grid.pk), grid_label(grid)))
    return groups


def village_choices():
    groups = {}
    for village in reportable_villages():
        town = village.parent.name if village.parent_id else "其他"
        groups.setdefault(town, []).append((str(village.pk), village.name))
    return list(groups.items())


# --- the report itself ---------------------------------------------------------------------


@dataclass
class ReportResult:
    case: Case
    code: str
    created: bool


def title_for(category, grid):
    """A neutral title: public case search shows titles, so never the resident's own words."""
    return f"群众网上反映{category.name}问题（{grid.region.name}）"[:200]


def existing_report(token):
    """The case an earlier post of the same form made, with its code; None if none."""
    if not valid_token(token):
        return None
    case = Case.objects.filter(submission_key=tracking.submission_key_for_token(token)).first()
    if case is None:
        return None
    code = tracking.code_for_token(token)
    if not tracking.code_matches(case, code):  # pragma: no cover - a key not made here
        return None
    return ReportResult(case, code, False)


def report_case(
    *,
    token,
    category,
    grid,
    description,
    place="",
    reporter_name,
    reporter_phone,
    reporter_email="",
    photos=(),
):
    """Register a resident's report; returns ``ReportResult``. Raises ``CaseRuleError``/``PhotoError``.

    ``category`` is a ``CaseCategory``, ``grid`` a live ``Grid``; the texts are
    already length-checked by the form. Nothing is written when it raises.
    """
    if not valid_token(token):
        raise services.CaseRuleError("表单已失效，请刷新页面后重新填写")
    if not isinstance(category, CaseCategory) or not isinstance(grid, Grid):
        raise services.CaseRuleError("请选择事件类别和所在网格")
    code = tracking.code_for_token(token)
    with transaction.atomic():
        case, created = services.create_case_once(
            user=None,
            submission_key=tracking.submission_key_for_token(token),
            title=title_for(category, grid),
            description=description.strip(),
            category=category,
            source=Case.Source.ONLINE,
            grid=grid,
            place=(place or "").strip(),
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone,
            reporter_email=(reporter_email or "").strip(),
        )
        if created:
            attach_photos(case, list(photos))
            case.tracking_code_hash = tracking.hash_code(case.number, code)
            Case.objects.filter(pk=case.pk).update(tracking_code_hash=case.tracking_code_hash)
            from .case_mail import report_received

            report_received(case)
    return ReportResult(case, code, created)
