"""Admin views beyond Wagtail's generic ones, wired in by the register viewsets.

- revealing a volunteer's full ID number (permission + audit log),
- issuing and printing a 志愿服务记录证明,
- a grid delete view that refuses while volunteers or cases depend on the grid.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import DeleteView

from .certificates import issue_certificate
from .forms import CertificateRequestForm
from .grid_rules import grid_delete_problem
from .models import CertificateIssue, Volunteer
from .scope import restrict_to_scope
from .sealed_ids import (  # noqa: F401 (VIEW_ID_NUMBER_ACTION re-exported)
    VIEW_ID_NUMBER_ACTION,
    RevealIdNumberMixin,
    scoped_person,
)
from .volunteering import full_id_number

ISSUE_CERTIFICATE_ACTION = "portal.issue_certificate"
VIEW_FULL_ID_PERMISSION = "snippets.view_full_id_number"


def scoped_volunteer(user, pk):
    """The volunteer ``pk`` if it lies in the user's regions, else 404."""
    return scoped_person(Volunteer, user, pk)


def _no_store(response):
    # Pages carrying personal data must not linger in shared office browsers' caches.
    response["Cache-Control"] = "no-store, private"
    return response


class VolunteerAdminView(WagtailAdminTemplateMixin, TemplateView):
    """Base for views about one volunteer: permission first, then scope (404 outside it)."""

    permission_required = None
    permission_denied_message = "您没有此操作的权限"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if self.permission_required and not request.user.has_perm(self.permission_required):
            # A real 403 rather than Wagtail's redirect-to-dashboard: the refusal
            # must be unambiguous (and testable) for a sensitive action.
            return render(
                request,
                "snippets/admin/forbidden.html",
                {"message": self.permission_denied_message},
                status=403,
            )
        self.volunteer = scoped_volunteer(request.user, kwargs["pk"])
        return _no_store(super().dispatch(request, *args, **kwargs))

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailsnippets_snippets_volunteer:list"), "label": "志愿者"},
            {
                "url": reverse("wagtailsnippets_snippets_volunteer:edit", args=[self.volunteer.pk]),
                "label": str(self.volunteer),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(volunteer=self.volunteer, **kwargs)


class RevealIdNumberView(RevealIdNumberMixin, VolunteerAdminView):
    """Shows the full ID number on an explicit POST, and writes that to the audit log.

    GET only explains that the view will be logged, so that link prefetching or
    a stray click never reveals (or logs) anything.
    """

    permission_required = VIEW_FULL_ID_PERMISSION
    permission_denied_message = (
        "您没有查看完整身份证号的权限。如确有工作需要，请联系区县管理员授权。"
    )
    person_label = "志愿者"
    full_id_number = staticmethod(full_id_number)

    @property
    def person(self):
        return self.volunteer

    def back_url(self):
        return reverse("wagtailsnippets_snippets_volunteer:edit", args=[self.volunteer.pk])


class IssueCertificateView(VolunteerAdminView):
    """Form to issue a certificate of service; POST records the issuance and opens it."""

    permission_required = "snippets.change_volunteer"
    permission_denied_message = "您没有出具志愿服务记录证明的权限"
    page_title = "出具志愿服务记录证明"
    template_name = "snippets/admin/certificate_issue.html"

    def get_context_data(self, **kwargs):
        from .volunteering import total_hours

        kwargs.setdefault("form", CertificateRequestForm(volunteer=self.volunteer))
        context = super().get_context_data(**kwargs)
        context["hours"] = total_hours(self.volunteer)
        context["record_count"] = self.volunteer.service_records.count()
        context["issued"] = self.volunteer.certificates.all()[:20]
        return context

    def post(self, request, *args, **kwargs):
        form = CertificateRequestForm(request.POST, volunteer=self.volunteer)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            issue = issue_certificate(
                self.volunteer,
                request.user,
                team=form.cleaned_data["team"],
                purpose=form.cleaned_data["purpose"],
            )
            log(
                instance=self.volunteer,
                action=ISSUE_CERTIFICATE_ACTION,
                user=request.user,
                data={"serial": issue.serial},
            )
        messages.success(request, f"已出具证明，编号 {issue.serial}")
        return redirect("wagtailsnippets_snippets_volunteer:certificate_print", serial=issue.serial)


class CertificatePrintView(TemplateView):
    """The A4 print page of one issued certificate (as issued, from its snapshot)."""

    template_name = "snippets/admin/certificate_print.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("snippets.view_volunteer"):
            return render(
                request,
                "snippets/admin/forbidden.html",
                {"message": "您没有查看志愿服务记录证明的权限"},
                status=403,
            )
        issues = restrict_to_scope(CertificateIssue.objects.all(), request.user, "region")
        try:
            self.issue = issues.get(serial=kwargs["serial"])
        except CertificateIssue.DoesNotExist as exc:
            raise Http404("证明不存在或不在您的辖区范围内") from exc
        return _no_store(super().dispatch(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        return super().get_context_data(issue=self.issue, **kwargs)


class GridDeleteView(DeleteView):
    """Wagtail's delete view, refusing while volunteers or cases still point at the grid."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.delete_problem = grid_delete_problem(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_problem"] = self.delete_problem
        return context

    def form_valid(self, form):
        # Re-check at the moment of deleting: a volunteer may have been added since GET.
        self.delete_problem = grid_delete_problem(self.object)
        if self.delete_problem:
            messages.error(self.request, self.delete_problem)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        return super().form_valid(form)
