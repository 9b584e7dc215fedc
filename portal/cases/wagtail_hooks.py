"""Admin wiring for cases: the case register (wagtail-modeladmin), the category
snippet and the dashboard panels.

The views themselves live in ``admin_views`` (scoped look-ups, saving through
the services); this module only declares what the list shows and registers it.
"""

from django import forms
from django.urls import re_path
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import modeladmin_register

from portal.snippets.admin_scope import ScopedModelAdmin

from . import fields as case_fields
from .admin_filters import GridFilter, MonthFilter, OverdueFilter, VillageFilter
from .admin_forms import CaseAdminForm, complete_panels
from .admin_search import SEARCH_FIELDS
from .admin_views import (
    CaseActionView,
    CaseCreateView,
    CaseDeleteView,
    CaseEditView,
    CaseHistoryView,
    CaseIndexView,
    CaseInspectView,
)
from .models import Case, CaseCategory
from .panels import add_case_panels
from .queries import OVERDUE_FLAG, annotate_overdue


class CaseButtonHelper(ButtonHelper):
    """The case number links to the case page (timeline and next steps), not the edit form."""

    def get_primary_button(self, obj):
        if self.permission_helper.user_can_inspect_obj(self.request.user, obj):
            return self.inspect_button(obj.pk)
        return super().get_primary_button(obj)


class CaseModelAdmin(ScopedModelAdmin):
    """The case register, scoped by the case's village (``ScopedModelAdmin``)."""

    model = Case
    scope_field = "village"
    menu_label = "案件"
    menu_icon = "tasks"
    menu_order = 220
    base_url_path = "cases/case"
    # The list's columns and filters are this screen's own: most are computed
    # (compact dates, the grid's short name, the overdue flag; filters limited to
    # the user's regions, by month, by overdue) and nothing else shares them. The
    # search box's fields and the form's come from ``portal.cases.fields``.
    list_display = (
        "number",
        "title",
        "category",
        "status",
        "grid_name",
        "village",
        "tier",
        "reported_on",
        "deadline_on",
        "overdue_badge",
    )
    list_filter = (
        "status",
        "category",
        "source",
        GridFilter,
        VillageFilter,
        OverdueFilter,
        "tier",
        MonthFilter,
    )
    list_select_related = ("category", "grid", "village")
    list_per_page = 50
    search_fields = SEARCH_FIELDS
    inspect_view_enabled = True
    # The case page's reading order; which fields it shows is ``fields.SHOWN``
    # (a field declared but not placed here is shown at the end).
    inspect_view_fields = case_fields.arrange(
        case_fields.SHOWN,
        [
            "number",
            "title",
            "description",
            "category",
            "source",
            "status",
            "tier",
            "grid",
            "village",
            "place",
            "reporter_name",
            "reporter_phone",
            "reporter_email",
            "discoverer",
            "handler_unit",
            "handler",
            "reported_at",
            "deadline",
            "closed_at",
            "resolution",
            "mediated",
            "satisfaction",
            "is_public",
            "public_summary",
        ],
    )
    button_helper_class = CaseButtonHelper
    index_view_class = CaseIndexView
    create_view_class = CaseCreateView
    edit_view_class = CaseEditView
    delete_view_class = CaseDeleteView
    inspect_view_class = CaseInspectView
    history_view_class = CaseHistoryView
    index_template_name = "cases/admin/index.html"
    inspect_template_name = "cases/admin/inspect.html"
    edit_handler = ObjectList(
        complete_panels(
            [
                FieldPanel("title"),
                FieldPanel("description"),
                # Plain selects, not snippet choosers: the grid list must be the
                # user's own grids (CaseAdminForm), and categories are few.
                FieldRowPanel([FieldPanel("category", widget=forms.Select), FieldPanel("source")]),
                FieldRowPanel([FieldPanel("grid", widget=forms.Select), FieldPanel("place")]),
                FieldPanel("reported_at"),
                MultiFieldPanel(
                    [FieldPanel("reporter_name"), FieldPanel("reporter_phone")],
                    heading="反映人（不公开）",
                ),
                MultiFieldPanel(
                    [FieldPanel("is_public"), FieldPanel("public_summary")],
                    heading="公开",
                ),
            ]
        ),
        base_form_class=CaseAdminForm,
    )

    def get_queryset(self, request):
        return annotate_overdue(super().get_queryset(request))

    @staticmethod
    def _badge(text, tone):
        return format_html('<span class="case-badge case-badge--{}">{}</span>', tone, text)

    # Compact columns: the full grid label and timestamps make the table too wide
    # for the filter sidebar on an office monitor.
    def grid_name(self, obj):
        return obj.grid.name

    grid_name.short_description = "所属网格"
    grid_name.admin_order_field = "grid__name"

    def reported_on(self, obj):
        return date_format(timezone.localtime(obj.reported_at), "Y年n月j日 H:i")

    reported_on.short_description = "上报时间"
    reported_on.admin_order_field = "reported_at"

    def deadline_on(self, obj):
        return date_format(timezone.localtime(obj.deadline), "Y年n月j日 H:i")

    deadline_on.short_description = "办理期限"
    deadline_on.admin_order_field = "deadline"

    def overdue_badge(self, obj):
        flagged = getattr(obj, OVERDUE_FLAG, None)
        if flagged is None:
            flagged = obj.is_overdue
        return self._badge("已超期", "overdue") if flagged else ""

    overdue_badge.short_description = "超期"
    overdue_badge.admin_order_field = OVERDUE_FLAG

    def get_index_view_extra_css(self):
        return ["cases/admin-dashboard.css"]

    def get_inspect_view_extra_css(self):
        return ["cases/admin-dashboard.css"]

    def action_view(self, request, instance_pk, action):
        view = CaseActionView.as_view(model_admin=self, instance_pk=instance_pk, action=action)
        return view(request)

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        return (
            *urls,
            re_path(
                rf"^{self.url_helper.base_url_path}/action/(?P<instance_pk>[-\w]+)/(?P<action>\w+)/$",
                self.action_view,
                name=self.url_helper.get_action_url_name("action"),
            ),
        )


class CaseCategoryViewSet(SnippetViewSet):
    model = CaseCategory
    icon = "tag"
    menu_label = "案件类别"
    add_to_admin_menu = False
    list_display = ["name", "code", "deadline_days", "is_dispute"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("deadline_days"), FieldPanel("is_dispute")]),
        FieldPanel("description"),
    ]


modeladmin_register(CaseModelAdmin)
register_snippet(CaseCategoryViewSet)


@hooks.register("construct_homepage_panels")
def case_dashboard_panels(request, panels):
    add_case_panels(request, panels)
