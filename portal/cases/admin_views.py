"""The case admin's views: wagtail-modeladmin's views limited to the user's regions,
saving through ``portal.cases.services``, plus the lifecycle action view.

Why subclass instead of configuring: modeladmin looks an object up by primary
key over the whole table and saves forms with ``form.save()``. Cases must be
looked up within the user's regions (an out-of-scope URL is a 404, never the
data) and must be created, edited and deleted by the service functions so that
numbering, deadlines, the event log and the search index stay right.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail_modeladmin.views import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
)

from portal.snippets.admin_scope import ScopedInstanceMixin

from . import admin_search, services
from .admin_forms import CASE_FORM_FIELDS, action_form, add_rule_errors
from .models import CaseEvent
from .queries import overdue


class CaseIndexView(IndexView):
    def get_search_results(self, request, queryset, search_term):
        # The hook the search engineer replaces: see portal/cases/admin_search.py.
        return admin_search.search_cases(queryset, search_term, user=request.user)

    def get_queryset(self, request=None):
        try:
            return super().get_queryset(request)
        except IncorrectLookupParameters:
            # A hand-edited filter value (?category__id__exact=abc): list nothing
            # and say so, instead of an error page.
            self.bad_filter = True
            self.filter_specs, self.has_filters = [], False
            return self.get_base_queryset(request).none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "bad_filter", False):
            messages.error(self.request, "筛选条件无效，已忽略，请重新选择")
        context["overdue_count"] = overdue(self.queryset).count()
        return context


def _form_fields(form):
    return {name: form.cleaned_data[name] for name in CASE_FORM_FIELDS if name in form.cleaned_data}


class CaseCreateView(CreateView):
    def form_valid(self, form):
        try:
            self.instance = services.create_case(user=self.request.user, **_form_fields(form))
        except services.CaseRuleError as error:
            add_rule_errors(form, error)
            return self.form_invalid(form)
        log(instance=self.instance, action="wagtail.create", content_changed=True)
        messages.success(self.request, f"案件 {self.instance.number} 已登记（受理）")
        return redirect(self.url_helper.get_action_url("inspect", quote(self.instance.pk)))


class CaseEditView(ScopedInstanceMixin, EditView):
    def form_valid(self, form):
        try:
            services.update_case(self.instance, self.request.user, **_form_fields(form))
        except services.CaseRuleError as error:
            add_rule_errors(form, error)
            return self.form_invalid(form)
        log(instance=self.instance, action="wagtail.edit", content_changed=form.has_changed())
        messages.success(self.request, f"案件 {self.instance.number} 已保存")
        return redirect(self.url_helper.get_action_url("inspect", quote(self.instance.pk)))


class CaseDeleteView(ScopedInstanceMixin, DeleteView):
    def delete_instance(self):
        services.delete_case(self.instance, self.request.user)


class CaseHistoryView(ScopedInstanceMixin, HistoryView):
    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class CaseInspectView(ScopedInstanceMixin, InspectView):
    def get_field_display_value(self, field_name, field=None):
        if field_name == "mediated":
            value = self.instance.mediated
            return {True: "调解成功", False: "调解未成功"}.get(value, "—")
        if field_name == "satisfaction":
            return self.instance.get_satisfaction_display() or "—"
        if field_name == "is_public":
            return "是" if self.instance.is_public else "否"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        actions = services.allowed_actions(self.instance, self.request.user)
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "case": self.instance,
                "shown": services.ShownState.of(self.instance),
                "events": self.instance.events.select_related("actor"),
                "action_forms": [
                    {
                        "action": action,
                        "label": action.label,
                        "form": action_form(action, self.instance),
                        "url": self.url_helper.get_action_url(
                            "action", quote(self.instance.pk), action.value
                        ),
                    }
                    for action in actions
                ],
            }
        )
        return context


class CaseActionView(ScopedInstanceMixin, InspectView):
    """Take one lifecycle step: GET shows the step's small form, POST performs it.

    Only steps ``services.allowed_actions`` offers the user are reachable; the
    service re-checks everything under a row lock when the form is posted.
    Every form carries the state it was drawn from (``shown_status``,
    ``shown_tier``, ``shown_revision``); a post without it, or from a state the
    case has since left, is refused with ``services.STALE_MESSAGE`` and leads
    back to the case as it now is.
    """

    action = None

    def __init__(self, model_admin, instance_pk, action):
        super().__init__(model_admin, instance_pk)
        if action not in services.ACTION_ORDER:
            raise Http404("未知的案件流转操作")
        self.action = CaseEvent.Action(action)

    def check_action_permitted(self, user):
        refusal = services.acting_refusal(self.instance, user)
        if refusal:
            raise PermissionDenied(refusal)
        return True

    @cached_property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def get_page_title(self):
        return f"{self.action.label}：{self.instance.number}"

    def get_template_names(self):
        return ["cases/admin/action.html"]

    def render_form(self, form, shown, status=200):
        context = self.get_context_data(
            form=form,
            action=self.action,
            inspect_url=self.inspect_url,
            case=self.instance,
            shown=shown,
        )
        return TemplateResponse(self.request, self.get_template_names(), context, status=status)

    def get(self, request, *args, **kwargs):
        if self.action not in services.allowed_actions(self.instance, request.user):
            messages.error(request, self.refusal_message())
            return redirect(self.inspect_url)
        return self.render_form(
            action_form(self.action, self.instance), services.ShownState.of(self.instance)
        )

    def post(self, request, *args, **kwargs):
        shown = services.ShownState.from_data(request.POST)
        if shown is None:
            messages.error(request, f"{self.action.label}未完成：{services.STALE_MESSAGE}")
            return redirect(self.inspect_url)
        form = action_form(self.action, self.instance, request.POST)
        if not form.is_valid():
            return self.render_form(form, shown)
        try:
            services.transition(
                self.instance,
                self.action,
                request.user,
                expected=shown,
                **form.transition_kwargs(),
            )
        except services.CaseRuleError as error:
            messages.error(request, f"{self.action.label}未完成：" + "；".join(error.messages))
            if getattr(error, "code", None) == "stale":
                return redirect(self.inspect_url)
            add_rule_errors(form, error)
            return self.render_form(form, shown)
        messages.success(
            request,
            f"案件 {self.instance.number} 已{self.action.label}，"
            f"当前状态：{self.instance.get_status_display()}",
        )
        return redirect(self.inspect_url)

    def refusal_message(self):
        refusal = services.step_refusal(self.instance, self.action, self.request.user)
        return refusal or f"当前不能执行“{self.action.label}”"
