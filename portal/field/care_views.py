"""今日走访 and 巡查 on the phone, through ``portal.care.services`` only.

Scope and permissions are the care services': a care object, visit or grid
outside the user's regions raises ``CareScopeError`` (a 404, telling nothing
about the person). Opening one person's visit form shows their address and
phone — a full view of the record — and is written to the audit log as the
admin's record view is.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.care import services as care
from portal.care.admin_views import log_record_view
from portal.cases.admin_forms import add_rule_errors

from .access import field_staff_required, wants_json
from .forms import RoundFinishForm, VisitForm, new_client_token, scoped_grids
from .views import PAGE_SIZE, form_errors, json_answer


def _care_object(user, pk):
    return get_object_or_404(care.visible_care_objects(user), pk=pk)


@never_cache
@require_GET
@field_staff_required
def visits(request):
    today = timezone.localdate()
    due = care.visits_due(request.user, today)
    page = Paginator(due, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    items = [
        {"object": obj, "state": state, "days_overdue": state.days_overdue(today)}
        for obj, state in page.object_list
    ]
    recent = care.visible_visits(request.user).filter(worker=request.user)[:10]
    context = {"items": items, "page": page, "today": today, "recent": recent}
    return TemplateResponse(request, "field/visits.html", context)


def _visit_page(request, obj, form, status=200):
    state = care.visit_state(obj, timezone.localdate())
    context = {"object": obj, "state": state, "form": form}
    return TemplateResponse(request, "field/visit_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@field_staff_required
def visit_form(request, pk):
    """走访记录 of one care object; resent with the same client token → the same visit."""
    user = request.user
    obj = _care_object(user, pk)
    if request.method == "GET":
        log_record_view(user, obj, "网格员工作台走访登记")
        return _visit_page(request, obj, VisitForm())
    form = VisitForm(request.POST)
    outcome = _record(request, obj, form) if form.is_valid() else None
    if outcome is None:
        if wants_json(request):
            return json_answer(
                {
                    "ok": False,
                    "message": "走访记录未保存，请检查后重试",
                    "errors": form_errors(form),
                },
                status=400,
            )
        return _visit_page(request, obj, form, status=400)
    visit, created, case = outcome
    if created:
        text = f"已记录对{obj.name}的走访"
        if case is not None:
            text += f"，需求已转为案件 {case.number}"
    else:
        text = f"对{obj.name}的这次走访此前已记录，未重复登记"
    messages.success(request, text)
    url = reverse("field:visits")
    if wants_json(request):
        return json_answer({"ok": True, "created": created, "url": url, "message": text})
    return redirect(url)


def _record(request, obj, form):
    """(visit, created, case or None), or None with the errors on ``form``."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            visit, created = care.record_visit(
                request.user,
                obj,
                visited_at=data["visited_at"],
                found_well=data["found_well"],
                needs=data["needs"],
                follow_up=data["follow_up"],
                client_token=str(data["client_token"]),
            )
            case = None
            if created and data["raise_case"]:
                case = care.raise_case_from_visit(
                    request.user,
                    visit,
                    category=data["case_category"],
                    title=_case_title(obj, data["needs"]),
                    description=data["needs"],
                )
    except ValidationError as error:
        add_rule_errors(form, error)
        return None
    return visit, created, case


def _case_title(obj, needs):
    """No name in the title: cases travel further than the care register."""
    text = " ".join(needs.split())
    head = text[:24] + ("…" if len(text) > 24 else "")
    return f"走访发现（{obj.get_kind_display()}）：{head}"[:200]


# --- rounds ---------------------------------------------------------------------------


@never_cache
@require_GET
@field_staff_required
def rounds(request):
    today = timezone.localdate()
    user = request.user
    grids = list(scoped_grids(user)[:50])
    todays = {
        r.grid_id: r
        for r in care.visible_rounds(user).filter(worker=user, date=today, grid__in=grids)
    }
    items = [{"grid": g, "round": todays.get(g.pk)} for g in grids]
    context = {
        "items": items,
        "today": today,
        "finish_form": RoundFinishForm(),
        "client_token": new_client_token(),
        "may_patrol": user.has_perm("care.add_round"),
    }
    return TemplateResponse(request, "field/rounds.html", context)


@require_POST
@field_staff_required
def round_start(request, grid_pk):
    grid = get_object_or_404(scoped_grids(request.user), pk=grid_pk)
    try:
        patrol, created = care.start_round(
            request.user, grid, client_token=request.POST.get("client_token") or None
        )
    except care.CareRuleError as error:
        messages.error(request, "开始巡查未完成：" + "；".join(error.messages))
    else:
        at = timezone.localtime(patrol.started_at)
        if created:
            messages.success(request, f"{grid.name}今日巡查已开始（{at:%H:%M}）")
        else:
            messages.info(request, f"{grid.name}今日巡查已于 {at:%H:%M} 开始，无需重复开始")
    return redirect("field:rounds")


@require_POST
@field_staff_required
def round_finish(request, pk):
    patrol = get_object_or_404(care.visible_rounds(request.user), pk=pk)
    form = RoundFinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "结束巡查未完成：" + "；".join(form.errors.get("notes", [])))
        return redirect("field:rounds")
    try:
        care.finish_round(request.user, patrol, notes=form.cleaned_data["notes"])
    except care.CareRuleError as error:
        messages.error(request, "结束巡查未完成：" + "；".join(error.messages))
    else:
        found = care.round_cases(patrol).count()
        messages.success(request, f"{patrol.grid.name}今日巡查已结束，途中上报案件 {found} 件")
    return redirect("field:rounds")
