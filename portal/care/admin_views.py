"""Admin views about one care object: the full ID number, behind a permission and logged.

The person's record itself (phone, address, needs) is logged on every view by
the viewset's inspect and edit views (``LoggedViewMixin``).
"""

from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from portal.snippets.sealed_ids import RevealIdNumberMixin, scoped_person

from .models import CareObject
from .services import full_id_number

VIEW_FULL_ID_PERMISSION = "care.view_full_care_id_number"
VIEW_RECORD_ACTION = "portal.view_care_object"


def scoped_care_object(user, pk):
    return scoped_person(CareObject, user, pk)


def log_record_view(user, care_object, where):
    log(instance=care_object, action=VIEW_RECORD_ACTION, user=user, data={"where": where})


class LoggedViewMixin:
    """Writes "查看关爱对象详情" to the audit log whenever a record is shown in full."""

    logged_where = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "object", None) is not None and response.status_code == 200:
            log_record_view(request.user, self.object, self.logged_where)
        response["Cache-Control"] = "no-store, private"
        return response


class RevealCareIdNumberView(RevealIdNumberMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET explains, POST shows the number and logs who saw whose number when."""

    header_icon = "user"
    person_label = "关爱对象"
    full_id_number = staticmethod(full_id_number)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_FULL_ID_PERMISSION):
            return render(
                request,
                "snippets/admin/forbidden.html",
                {
                    "message": "您没有查看关爱对象完整身份证号的权限。如确有工作需要，请联系区县管理员授权。"
                },
                status=403,
            )
        self.care_object = self.person = scoped_care_object(request.user, kwargs["pk"])
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": self.back_url(), "label": "关爱对象"},
            {"url": "", "label": self.page_title},
        ]

    def person_kind(self):
        return self.care_object.get_kind_display()

    def back_url(self):
        return reverse("wagtailsnippets_care_careobject:list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(care_object=self.care_object, **kwargs)
