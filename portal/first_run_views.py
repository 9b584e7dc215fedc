"""The 首次设置 (first-run) page of the admin: ``portal.setup.run_setup`` behind a form.

A superuser on an empty install is led here (a menu item, and a dashboard
panel while the set-up is incomplete) to name the county (or the town) the
portal belongs to; the page then does what ``manage.py setup_portal`` does,
through the same functions, and lists the first day's steps with the
templates to download. Only superusers may use it: it creates the root of
the region tree and grants every group its permissions.
"""

import io
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from portal import setup
from portal.snippets.models import Region

LEVEL_CHOICES = [
    ("county", "区县（门户属于整个区县）"),
    ("town", "乡镇/街道（门户属于一个乡镇或街道）"),
]
TEMPLATE_KINDS = {"regions": "行政区划", "grids": "网格台账", "grid_staff": "网格工作人员名册"}
FORBIDDEN = "只有系统管理员（超级用户）可以进行首次设置。"


class FirstRunForm(forms.Form):
    level = forms.ChoiceField(label="层级", choices=LEVEL_CHOICES, initial="county")
    name = forms.CharField(
        label="名称", max_length=50, help_text="本门户所属区县（或乡镇、街道）的名称，例如 浉河区"
    )
    code = forms.CharField(
        label="行政区划代码",
        max_length=20,
        help_text="区县为6位（例如 411502）；乡镇（街道）为9位（区县6位加3位，例如 411502001）",
    )
    county_name = forms.CharField(
        label="所属区县名称",
        max_length=50,
        required=False,
        help_text="仅当层级为乡镇/街道且系统中还没有该区县时填写",
    )

    def clean(self):
        data = super().clean()
        try:
            level = setup.clean_level(data.get("level"))
            if "code" in data:
                if level == setup.LEVEL_COUNTY:
                    setup.county_code(data["code"])
                else:
                    setup.town_code(data["code"])
            if "name" in data:
                data["name"] = setup.clean_region_name(data["name"])
        except setup.SetupError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


def _forbidden(request):
    return TemplateResponse(
        request, "snippets/admin/forbidden.html", {"message": FORBIDDEN}, status=403
    )


def _initial():
    region = setup.portal_region()
    if region is None:
        return {"level": "county"}
    if region.level == Region.Level.TOWN:
        return {
            "level": "town",
            "name": region.name,
            "code": region.code[:9],
            "county_name": region.parent.name if region.parent_id else "",
        }
    return {"level": "county", "name": region.name, "code": region.code[:6]}


def _status():
    from portal.pages.models import DisclosureIndexPage, HomePage

    region = setup.portal_region()
    home = HomePage.objects.first()
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    without_board = villages.exclude(disclosure_indexes__isnull=False).count()
    return {
        "region": region,
        "home": home,
        "towns": Region.objects.filter(level=Region.Level.TOWN).count(),
        "villages": villages.count(),
        "village_boards": DisclosureIndexPage.objects.filter(
            region__level=Region.Level.VILLAGE
        ).count(),
        "villages_without_board": without_board,
        "needed": setup.setup_needed(),
    }


class FirstRunView(WagtailAdminTemplateMixin, FormView):
    page_title = "首次设置"
    header_icon = "cog"
    template_name = "portal/first_run.html"
    form_class = FirstRunForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return _forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return _initial()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = _status()
        context["templates"] = [
            (label, reverse("portal_first_run_template", args=[kind]))
            for kind, label in TEMPLATE_KINDS.items()
        ]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = setup.run_setup(
                data["name"], data["code"], data["level"], data.get("county_name", "")
            )
        except setup.SetupError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        level = messages.SUCCESS if report.changed else messages.INFO
        messages.add_message(self.request, level, "；".join(report.lines()))
        return redirect("portal_first_run")


first_run = FirstRunView.as_view()


def download_template(request, kind):
    """Import templates for the first day's registers, including the kinds not in 数据导入 yet."""
    if not request.user.is_superuser:
        return _forbidden(request)
    if kind not in TEMPLATE_KINDS:
        return HttpResponse("没有这种模板", status=404, content_type="text/plain; charset=utf-8")
    from imports.workbook_templates import build_template

    buffer = io.BytesIO()
    build_template(kind, request.user).save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{TEMPLATE_KINDS[kind]}导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


urlpatterns = [
    path("first-run/", first_run, name="portal_first_run"),
    path("first-run/templates/<str:kind>/", download_template, name="portal_first_run_template"),
]


class FirstRunMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


def menu_item():
    return FirstRunMenuItem("首次设置", reverse("portal_first_run"), icon_name="cog", order=50)


class FirstRunPanel(Component):
    """Dashboard banner for superusers while the install has no root region or home page."""

    order = 1
    template_name = "portal/first_run_panel.html"

    def get_context_data(self, parent_context=None):
        return {"url": reverse("portal_first_run")}


def add_first_run_panel(request, panels):
    if request.user.is_superuser and setup.setup_needed():
        panels.insert(0, FirstRunPanel())
