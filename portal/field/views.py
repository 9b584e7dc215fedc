"""The grid worker's pages: my grids, my cases and their next steps, report a case.

Views only collect input and draw pages; every rule is the services' —
``portal.cases.services`` (creation once per client token, the lifecycle, stale
clicks) and ``portal.cases.photos`` (content check, re-encoding, EXIF strip).
A report sent by the offline-draft script (header ``X-Field-Sync: 1``) gets the
same handling and a JSON answer instead of a page.
"""

from collections import Counter
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.care import services as care
from portal.cases import services
from portal.cases.admin_forms import action_form, add_rule_errors
from portal.cases.models import Case, CaseEvent
from portal.cases.panels import scoped_cases
from portal.cases.photos import PhotoError, attach_photos, clean_photos
from portal.snippets.models import Grid

from . import queries
from .access import field_staff_required, wants_json
from .forms import ReportForm, scoped_grids

PAGE_SIZE = 20


def json_answer(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def form_errors(form):
    """{field: [messages]} with the form's Chinese messages ('__all__' for the top)."""
    return {name: [str(m) for m in errs] for name, errs in form.errors.items()}


# --- my grids -------------------------------------------------------------------


@never_cache
@require_GET
@field_staff_required
def home(request):
    user = request.user
    today = timezone.localdate()
    grids = queries.grids_with_counts(user)
    page = Paginator(grids, 30).get_page(request.GET.get("page"))
    due = care.visits_due(user, today)
    due_by_grid = Counter(obj.grid_id for obj, _ in due)
    overdue_by_grid = Counter(obj.grid_id for obj, state in due if state.overdue)
    patrolled = set(
        care.visible_rounds(user)
        .filter(worker=user, date=today, grid__in=page.object_list)
        .values_list("grid_id", flat=True)
    )
    for grid in page.object_list:
        grid.visits_due = due_by_grid[grid.pk]
        grid.visits_overdue = overdue_by_grid[grid.pk]
        grid.patrolled_today = grid.pk in patrolled
    context = {
        "page": page,
        "mine": queries.field_cases(user, "mine").count(),
        "visits_due": len(due),
        "visits_overdue": sum(1 for _, state in due if state.overdue),
        "may_visit": user.has_perm("care.add_visit"),
    }
    return TemplateResponse(request, "field/home.html", context)


# --- my cases ---------------------------------------------------------------------


@never_cache
@require_GET
@field_staff_required
def case_list(request):
    tab = request.GET.get("tab", "mine")
    if tab not in queries.TABS:
        tab = "mine"
    grid = None
    if request.GET.get("grid"):
        try:
            grid = scoped_grids(request.user).get(pk=int(request.GET["grid"]))
        except (ValueError, TypeError, Grid.DoesNotExist):
            raise Http404("网格不存在") from None
    cases = queries.field_cases(request.user, tab, grid=grid)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "tabs": [(key, label, hint) for key, (label, hint) in queries.TABS.items()],
        "tab_hint": queries.TABS[tab][1],
        "grid": grid,
    }
    return TemplateResponse(request, "field/cases.html", context)


def _scoped_case(user, pk):
    return get_object_or_404(
        scoped_cases(user).select_related("category", "grid", "village", "handler"), pk=pk
    )


@never_cache
@require_GET
@field_staff_required
def case_detail(request, pk):
    case = _scoped_case(request.user, pk)
    return TemplateResponse(request, "field/case.html", _case_context(request, case))


def _case_context(request, case, failed_action=None, failed_form=None):
    forms = []
    for action in services.allowed_actions(case, request.user):
        form = failed_form if action == failed_action else action_form(action, case)
        forms.append({"action": action, "label": action.label, "form": form})
    return {
        "case": case,
        "shown": services.ShownState.of(case),
        "action_forms": forms,
        "photos": list(case.photos.all()),
        "events": case.events.select_related("actor").order_by("-at", "-id")[:10],
    }


@require_POST
@field_staff_required
def case_action(request, pk, action):
    """One lifecycle step through ``services.transition``, refusing a stale click."""
    case = _scoped_case(request.user, pk)
    if action not in services.ACTION_ORDER:
        raise Http404("未知的案件流转操作")
    action = CaseEvent.Action(action)
    detail = reverse("field:case", args=[case.pk])
    shown = services.ShownState.from_data(request.POST)
    if shown is None:
        messages.error(request, f"{action.label}未完成：{services.STALE_MESSAGE}")
        return redirect(detail)
    form = action_form(action, case, request.POST)
    if form.is_valid():
        try:
            services.transition(
                case, action, request.user, expected=shown, **form.transition_kwargs()
            )
        except services.CaseRuleError as error:
            messages.error(request, f"{action.label}未完成：" + "；".join(error.messages))
            if getattr(error, "code", None) == "stale" or isinstance(
                error, services.CasePermissionError
            ):
                return redirect(detail)
            add_rule_errors(form, error)
        else:
            messages.success(
                request,
                f"案件 {case.number} 已{action.label}，当前状态：{case.get_status_display()}",
            )
            return redirect(detail)
    case.refresh_from_db()
    context = _case_context(request, case, failed_action=action, failed_form=form)
    return TemplateResponse(request, "field/case.html", context, status=400)


# --- report a case ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@field_staff_required
def report(request):
    """上报事件. Sent twice with the same client token → one case (create_case_once)."""
    user = request.user
    if not user.has_perm("cases.add_case"):
        message = "您的账号没有上报事件的权限"
        if wants_json(request):
            return json_answer({"ok": False, "message": message}, status=403)
        return TemplateResponse(request, "field/refused.html", {"message": message}, status=403)
    if request.method == "GET":
        return TemplateResponse(request, "field/report.html", {"form": ReportForm(user=user)})
    form = ReportForm(request.POST, request.FILES, user=user)
    case = created = None
    if form.is_valid():
        case, created = _create_reported_case(request, form)
    if case is None:
        if wants_json(request):
            return json_answer(
                {"ok": False, "message": "上报未完成，请检查后重试", "errors": form_errors(form)},
                status=400,
            )
        return TemplateResponse(request, "field/report.html", {"form": form}, status=400)
    url = reverse("field:case", args=[case.pk])
    text = (
        f"事件已上报，案件编号 {case.number}"
        if created
        else f"该事件此前已上报（案件编号 {case.number}），未重复登记"
    )
    # Also for the sync script: the page it opens next (or the next page drawn) says so.
    messages.success(request, text)
    if wants_json(request):
        return json_answer(
            {"ok": True, "created": created, "number": case.number, "url": url, "message": text}
        )
    return redirect(url)


def _submission_key(user, token):
    """Per user: another account replaying someone's token makes its own case, never sees theirs."""
    return f"field-{user.pk}-{token}"


def _create_reported_case(request, form):
    """(case, created) or (None, None) with the errors on ``form``; nothing half-written."""
    data = form.cleaned_data
    uploads = data["photos"]
    try:
        clean_photos(uploads)  # every photo checked before anything is written
    except PhotoError as error:
        form.add_error("photos", error.messages)
        return None, None
    try:
        with transaction.atomic():
            case, created = services.create_case_once(
                user=request.user,
                submission_key=_submission_key(request.user, data["client_token"]),
                title=form.case_title(),
                description=data["description"],
                category=data["category"],
                grid=data["grid"],
                place=data["place"].strip(),
                source=Case.Source.GRID_WORKER,
            )
            if created:
                attach_photos(case, uploads, user=request.user)
    except PhotoError as error:
        form.add_error("photos", error.messages)
        return None, None
    except ValidationError as error:
        add_rule_errors(form, error)
        return None, None
    return case, created


# --- offline drafts -------------------------------------------------------------------


@never_cache
@require_GET
@field_staff_required
def sync_token(request):
    """A fresh CSRF token for the draft sync script, read just before it sends.

    A draft typed offline may be sent hours later, after the session (and so the
    token) was renewed: the script asks here first, then posts with
    ``X-CSRFToken``. CSRF stays enforced on every POST.
    """
    return json_answer({"csrfToken": get_token(request), "user": request.user.get_username()})


@never_cache
@require_GET
@field_staff_required
def offline(request):
    """The page the service worker shows for a field page it has no copy of, offline."""
    return TemplateResponse(request, "field/offline.html", {})


SERVICE_WORKER = Path(__file__).parent / "static" / "field" / "sw.js"


@require_GET
def service_worker(request):
    """``/field/sw.js``: served from /field/ (not /static/) so its scope is the workspace.

    No login needed (the browser fetches it to check for updates; it holds no
    data). ``no-cache`` so a new version reaches phones on their next visit.
    """
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/field/"
    response["Cache-Control"] = "no-cache"
    return response
