"""The resident's pages: report a problem, follow it, rate it, and the public case page.

Plain HTML forms, no JavaScript. The report and tracking pages are
``never_cache`` (``Cache-Control: private, no-store``): the thank-you page
carries a private query code, the tracking page a case's progress, and neither
may be kept by the page cache, a proxy or the browser's history. They are not
in ``PAGE_CACHE_VIEWS`` either. The public case page shows only what a public
case's page may show (``tracking.public_timeline``, public photos, the public
summary).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import rating, reporting, services, tracking
from .models import Case
from .photos import PhotoError
from .public_forms import CONSENT_TEXT, RateForm, ReportForm, TrackForm


def _too_many(request, seconds):
    response = render(
        request,
        "cases/public/too_many.html",
        {"message": reporting.too_many_message(seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _grids_for(request):
    """(grids, villages, village) for the report form: one select, or village first."""
    source = request.POST if request.method == "POST" else request.GET
    raw = (source.get("village") or "").strip()
    village = None
    villages = reporting.village_choices()
    if raw.isdigit():
        village = next(
            (int(raw) for _town, items in villages for pk, _n in items if pk == raw), None
        )
    if village is not None:
        return list(reporting.reportable_grids(village)), villages, village
    grids = reporting.reportable_grids()
    if grids.count() > reporting.GRID_SELECT_MAX:
        return [], villages, None
    return list(grids), villages, None


def _render_form(request, form, villages, village, status=200, problem=""):
    return render(
        request,
        "cases/public/report.html",
        {
            "form": form,
            "villages": villages,
            "village": village,
            "needs_village": not form.grids,
            "consent_text": CONSENT_TEXT,
            "problem": problem,
        },
        status=status,
    )


def _thanks(request, result):
    return render(
        request,
        "cases/public/thanks.html",
        {
            "case": result.case,
            "code": tracking.display_code(result.code),
            "again": not result.created,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    """``/cases/report/``: the form (GET) and the registration (POST)."""
    grids, villages, village = _grids_for(request)
    if request.method == "GET":
        form = ReportForm(grids=grids, initial={"form_token": reporting.new_form_token()})
        return _render_form(request, form, villages, village)

    wait = reporting.post_refusal(request)
    if wait:
        return _too_many(request, wait)
    form = ReportForm(request.POST, request.FILES, grids=grids)
    if form.is_bot:
        form = ReportForm(grids=grids, initial={"form_token": reporting.new_form_token()})
        return _render_form(
            request, form, villages, village, status=400, problem="提交未成功，请重新填写后提交。"
        )
    earlier = reporting.existing_report(request.POST.get("form_token", ""))
    if earlier is not None:
        return _thanks(request, earlier)
    if not form.is_valid():
        return _rerender(request, form, villages, village)
    wait = reporting.phone_refusal(form.cleaned_data["phone"])
    if wait:
        return _too_many(request, wait)
    data = form.cleaned_data
    try:
        result = reporting.report_case(
            token=data["form_token"],
            category=data["category"],
            grid=data["grid"],
            description=data["description"],
            place=data["place"],
            reporter_name=data["name"],
            reporter_phone=data["phone"],
            reporter_email=data["email"],
            photos=data["photos"],
        )
    except PhotoError as error:
        form.add_error("photos", error.messages)
        return _rerender(request, form, villages, village)
    except services.CaseRuleError as error:
        _add_rule_errors(form, error)
        return _rerender(request, form, villages, village)
    return _thanks(request, result)


_FIELD_MAP = {
    "reporter_name": "name",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "category": "category",
    "grid": "grid",
    "place": "place",
    "description": "description",
}


def _add_rule_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(_FIELD_MAP.get(field), messages)
    else:
        form.add_error(None, error.messages)


def _rerender(request, form, villages, village):
    # A file input cannot be filled again by the server: say so if photos were sent.
    if "form_token" in form.errors:
        form.data = form.data.copy()
        form.data["form_token"] = reporting.new_form_token()
    if request.FILES and "photos" not in form.errors:
        form.add_error(None, "请重新选择要上传的照片（出错后浏览器不会保留已选的照片）。")
    return _render_form(request, form, villages, village, status=400)


def _progress_context(case):
    return {
        "case": case,
        "steps": tracking.public_timeline(case, include_resolution=True),
        "overdue": case.is_overdue,
        "rating_refusal": rating.rating_refusal(case),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """``/cases/track/``: number + query code (POST) → the case's progress, and its rating."""
    if request.method == "GET":
        return render(request, "cases/public/track.html", {"form": TrackForm()})
    rating_post = "satisfaction" in request.POST or "revision" in request.POST
    form = (RateForm if rating_post else TrackForm)(request.POST)
    if not form.is_valid() and (form.has_error("number") or form.has_error("code")):
        return render(
            request, "cases/public/track.html", {"form": TrackForm(request.POST)}, status=400
        )
    case, refusal, retry_after = tracking.find_tracked_case(
        request, request.POST.get("number", ""), request.POST.get("code", "")
    )
    if case is None:
        response = render(
            request,
            "cases/public/track.html",
            {"form": TrackForm(request.POST), "problem": refusal},
            status=429 if retry_after else 400,
        )
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response
    code = tracking.normalise_code(request.POST.get("code", ""))
    message = ""
    status = 200
    if rating_post:
        if form.is_valid():
            try:
                rating.rate_case(
                    case,
                    form.cleaned_data["satisfaction"],
                    form.cleaned_data["comment"],
                    expected_revision=form.cleaned_data["revision"],
                )
                message = "感谢您的评价！"
                if case.status == Case.Status.DISPATCHED:
                    message += "您的不满意评价已记录，事项已重新交办，请留意后续进度。"
                form = None
            except services.CaseRuleError as error:
                form.add_error(None, error.messages)
                status = 400
        else:
            status = 400
    else:
        form = None
    if form is None or not rating_post:
        form = RateForm(initial={"number": case.number, "code": code, "revision": case.revision})
    context = _progress_context(case)
    context.update({"rate_form": form, "message": message})
    return render(request, "cases/public/progress.html", context, status=status)


@require_GET
def public_case(request, number):
    """``/cases/<number>/``: a public case's summary, public-safe timeline and public photos."""
    case = (
        Case.objects.select_related("category", "village", "grid")
        .filter(number=number, is_public=True)
        .first()
    )
    if case is None or not case.public_summary.strip():
        raise Http404("案件不存在或未公开")
    return render(
        request,
        "cases/public/case.html",
        {
            "case": case,
            "steps": tracking.public_timeline(case, include_resolution=False),
            "photos": case.photos.filter(is_public=True),
        },
    )
