"""Wagtail admin pages for 数据导入: upload → preview → confirm → summary, history, downloads.

Every view checks the user's import/export permission for the register and,
for a job, that the job is theirs (superusers see all). Large files are
handed to a background task (see ``imports.jobs``); their page polls
``job_status`` from a static script (no inline JavaScript: the site's CSP
forbids it) and falls back to a meta refresh without JavaScript.
"""

import io
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import jobs, storage
from .exporting import export_register
from .forms import ConfirmForm, UploadForm, options_from_post
from .importers import importable_kinds, kind_labels
from .models import ImportJob
from .workbook_templates import build_template

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = kind_labels()
PREVIEW_ERRORS_SHOWN = 1000

# Where the imported records can be seen: (URL name, label), tried in order.
RECORD_LISTINGS = {
    "grids": [("wagtailsnippets_snippets_grid:list", "查看网格")],
    "volunteers": [("wagtailsnippets_snippets_volunteer:list", "查看志愿者")],
    "cases": [("cases_case_modeladmin_index", "查看案件")],
    "services": [("wagtailsnippets_snippets_servicerecord:list", "查看志愿服务记录")],
    "points": [("wagtailsnippets_snippets_pointsentry:list", "查看积分记录")],
    "care_objects": [("wagtailsnippets_care_careobject:list", "查看关爱对象")],
}


def records_link(kind):
    """(url, label) of the admin listing of ``kind``'s records, or None."""
    from django.urls import NoReverseMatch

    for name, label in RECORD_LISTINGS.get(kind, ()):
        try:
            return reverse(name), label
        except NoReverseMatch:
            continue
    return None


def can_confirm(job, skip_invalid):
    """Why the job cannot be imported as it stands (a Chinese message), or None."""
    if job.status != ImportJob.Status.PREVIEW:
        return "该导入已经处理过，不能重复确认"
    if job.error_count and not skip_invalid:
        return "文件中有错误行。请修改后重新上传，或勾选“跳过错误行”后再确认"
    if not (job.new_count + job.updated_count):
        if job.error_count:
            return "文件中没有可以导入的行（所有需要写入的行都有错误），请修改后重新上传"
        return "文件中的数据与系统中完全一致，无需导入"
    return None


def _private(response):
    response["Cache-Control"] = "no-store, private"
    return response


def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    return _private(response)


def _attachment(filename):
    from urllib.parse import quote

    return f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"


def _job_for(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if not jobs.can_see_job(request.user, job):
        raise Http404
    return job


def _require_import(user, kind=None):
    kinds = importable_kinds(user)
    if not kinds or (kind is not None and kind not in kinds):
        raise PermissionDenied
    return kinds


class ImportsBase(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items()]
        items.append({"url": reverse("imports:index"), "label": "数据导入"})
        if self.page_title != "数据导入":
            items.append({"url": "", "label": self.page_title})
        return items


class IndexView(ImportsBase, FormView):
    page_title = "数据导入"
    template_name = "imports/index.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        self.kinds = _require_import(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["registers"] = [
            {
                "kind": kind,
                "label": label,
                "can_import": kind in self.kinds,
                "can_export": kind in jobs.EXPORT_PERMISSIONS and jobs.can_export(user, kind),
            }
            for kind, label in KIND_LABELS.items()
        ]
        context["recent_jobs"] = jobs.jobs_visible_to(user)[:10]
        context["background_rows"] = jobs.background_threshold()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = jobs.create_job(
            kind=form.cleaned_data["kind"],
            user=self.request.user,
            upload=upload,
            file_name=upload.name,
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        jobs.start_analysis(job)
        return redirect("imports:job", pk=job.pk)


class JobView(ImportsBase, TemplateView):
    template_name = "imports/job.html"

    def dispatch(self, request, *args, **kwargs):
        _require_import(request.user)
        self.job = _job_for(request, kwargs["pk"])
        return _private(super().dispatch(request, *args, **kwargs))

    def get_page_title(self):
        return f"{KIND_LABELS.get(self.job.kind, self.job.kind)}导入：{self.job.file_name}"

    @property
    def page_title(self):
        return self.get_page_title()

    def get_context_data(self, **kwargs):
        job = self.job
        report = job.report or {}
        errors = report.get("errors", [])
        samples = report.get("samples", {})
        sample_groups = [
            (label, samples.get(key, []))
            for key, label in (
                ("new", "新增"),
                ("update", "更新"),
                ("unchanged", "未变化"),
                ("error", "错误"),
            )
            if samples.get(key)
        ]
        return super().get_context_data(
            job=job,
            report=report,
            errors=errors[:PREVIEW_ERRORS_SHOWN],
            errors_hidden=max(report.get("error_total", len(errors)) - PREVIEW_ERRORS_SHOWN, 0),
            sample_groups=sample_groups,
            confirm_form=ConfirmForm(initial={"skip_invalid": job.skip_invalid}),
            importable_rows=job.new_count + job.updated_count,
            # 确认导入 is offered only when there is something the import would write
            confirmable=job.status == ImportJob.Status.PREVIEW
            and bool(job.new_count + job.updated_count),
            kind_label=KIND_LABELS.get(job.kind, job.kind),
            records_link=records_link(job.kind) if job.status == ImportJob.Status.DONE else None,
            warning_summary=report.get("warning_summary", []),
            unknown_categories=report.get("unknown_categories", []),
            category_choices=report.get("category_choices", []),
            options=report.get("options", {}),
            status_url=reverse("imports:job_status", args=[job.pk]),
            **kwargs,
        )


def job_status(request, pk):
    _require_import(request.user)
    job = _job_for(request, pk)
    return _private(
        JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "stage": job.stage,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "percent": job.percent,
                "busy": job.is_busy,
            }
        )
    )


@require_POST
def confirm(request, pk):
    _require_import(request.user)
    job = _job_for(request, pk)
    _require_import(request.user, job.kind)
    if "recheck" in request.POST:
        return _recheck(request, job)
    form = ConfirmForm(request.POST)
    skip_invalid = form.is_valid() and form.cleaned_data["skip_invalid"]
    refusal = can_confirm(job, skip_invalid)
    if refusal:
        messages.error(request, refusal)
        return redirect("imports:job", pk=job.pk)
    jobs.start_import(job, skip_invalid=skip_invalid)
    return redirect("imports:job", pk=job.pk)


def _recheck(request, job):
    """Check the file again with the choices made on the preview (e.g. categories)."""
    if job.status != ImportJob.Status.PREVIEW or not job.stored_file:
        messages.error(request, "该导入已经处理过，不能重新检查")
        return redirect("imports:job", pk=job.pk)
    report = dict(job.report or {})
    report["options"] = options_from_post(request.POST, report.get("category_choices", []))
    job.report = report
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["report", "status"])
    jobs.start_analysis(job)
    return redirect("imports:job", pk=job.pk)


@require_POST
def cancel(request, pk):
    _require_import(request.user)
    job = _job_for(request, pk)
    jobs.cancel(job)
    messages.success(request, "已取消本次导入，上传的文件已删除")
    return redirect("imports:index")


def error_report(request, pk):
    _require_import(request.user)
    job = _job_for(request, pk)
    if not job.error_report:
        raise Http404
    path = storage.path_of(job.error_report)
    if not path.exists():
        raise Http404
    stem = Path(job.file_name).stem
    response = FileResponse(path.open("rb"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(f"{stem}-错误报告.xlsx")
    return _private(response)


def template_download(request, kind):
    if kind not in KIND_LABELS:
        raise Http404
    _require_import(request.user, kind)
    buffer = io.BytesIO()
    build_template(kind, request.user).save(buffer)
    return _xlsx_response(buffer.getvalue(), f"{KIND_LABELS[kind]}导入模板.xlsx")


def export_download(request, kind):
    if kind not in KIND_LABELS:
        raise Http404
    if not jobs.can_export(request.user, kind):
        raise PermissionDenied
    buffer = io.BytesIO()
    export_register(kind, request.user, buffer)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return _xlsx_response(buffer.getvalue(), f"{KIND_LABELS[kind]}-{stamp}.xlsx")


class HistoryView(ImportsBase, TemplateView):
    page_title = "导入记录"
    template_name = "imports/history.html"
    index_url = reverse_lazy("imports:index")

    def dispatch(self, request, *args, **kwargs):
        _require_import(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        paginator = Paginator(jobs.jobs_visible_to(self.request.user), 50)
        page = paginator.get_page(self.request.GET.get("p"))
        return super().get_context_data(page=page, jobs=page.object_list, **kwargs)
