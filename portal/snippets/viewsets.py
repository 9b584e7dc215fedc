"""Wagtail admin viewsets for the registers, all scoped by region (``admin_scope``)."""

from django.db.models import Count
from django.urls import path, reverse
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSetGroup

from . import filters, forms
from .admin_views import (
    VIEW_FULL_ID_PERMISSION,
    CertificatePrintView,
    GridDeleteView,
    IssueCertificateView,
    RevealIdNumberView,
)
from .grid_rules import grid_delete_problem
from .models import (
    CertificateIssue,
    Grid,
    GridStaff,
    PointsEntry,
    Region,
    ServiceRecord,
    StaffRegion,
    Volunteer,
    VolunteerTeam,
)
from .panels import OversizeWarningPanel, VolunteerTotalsPanel
from .register_admin import RegisterViewSet
from .scope import restrict_to_scope
from .sealed_ids import PersonButtonsEditMixin, SealedIdIndexView, reveal_id_button
from .volunteering import annotate_totals


class OversizeColumn(Column):
    """Households, with a "超规模" tag on grids above the provincial norm."""

    cell_template_name = "snippets/admin/oversize_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["oversized"] = instance.is_oversized
        context["message"] = instance.oversize_message
        return context


# --- regions -------------------------------------------------------------------------


class RegionViewSet(RegisterViewSet):
    model = Region
    scope_field = "id"
    icon = "site"
    menu_label = "行政区划"
    title = ("name", "名称")
    columns = ["level", "parent", "code", "effective_from", "effective_until", "merged_into"]
    list_per_page = 50
    filterset_class = filters.RegionFilterSet
    search_fields = ["name", "code"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("level")]),
            FieldPanel("parent"),
            FieldPanel("code"),
            FieldRowPanel([FieldPanel("effective_from"), FieldPanel("effective_until")]),
            FieldPanel("merged_into"),
            FieldPanel("sort_order"),
        ],
        base_form_class=forms.RegionForm,
    )

    def get_base_queryset(self, request):
        return Region.objects.select_related("parent", "merged_into").order_by(
            "level", "parent__sort_order", "sort_order", "name"
        )


class StaffRegionViewSet(RegisterViewSet):
    model = StaffRegion
    scope_field = "region"
    icon = "group"
    menu_label = "人员辖区"
    related = ("user", "region")
    list_display = ["user", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "region__name"]
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("region")], base_form_class=forms.StaffRegionForm
    )


# --- grids ---------------------------------------------------------------------------


class GridViewSet(RegisterViewSet):
    model = Grid
    scope_field = "region"
    icon = "table"
    menu_label = "网格"
    related = ("region",)
    title = ("name", "网格名称")
    columns = [
        "code",
        "region",
        "grid_type",
        OversizeColumn("households", label="户数"),
        "population",
        LiveStatusTagColumn(),
    ]
    list_per_page = 50
    filterset_class = filters.GridFilterSet
    search_fields = ["name", "code"]
    list_export = ["code", "name", "region", "grid_type", "households", "population", "live"]
    export_headings = {
        "code": "网格编码",
        "name": "网格名称",
        "region": "所属村（社区）",
        "grid_type": "网格类型",
        "households": "户数",
        "population": "人口数",
        "live": "已发布",
    }
    export_filename = "网格台账"
    delete_view_class = GridDeleteView
    delete_template_name = "snippets/admin/grid_confirm_delete.html"
    edit_handler = ObjectList(
        [
            OversizeWarningPanel(),
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("region"), FieldPanel("grid_type")]),
            FieldRowPanel([FieldPanel("households"), FieldPanel("population")]),
            FieldPanel("coverage"),
            FieldPanel("boundary"),
            FieldPanel("notes"),
        ],
        base_form_class=forms.GridForm,
    )

    @staticmethod
    def delete_problem(grid):
        return grid_delete_problem(grid)


class GridStaffViewSet(RegisterViewSet):
    model = GridStaff
    icon = "user"
    menu_label = "网格工作人员"
    title = ("name", "姓名")
    columns = [
        "role",
        "work_phone",
        "party_member",
        "full_time",
        Column("grid_count", label="负责网格数"),
    ]
    list_per_page = 50
    filterset_class = filters.GridStaffFilterSet
    search_fields = ["name", "work_phone"]
    list_export = ["name", "role", "work_phone", "party_member", "full_time"]
    export_filename = "网格工作人员"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
            FieldPanel("work_phone"),
            FieldRowPanel([FieldPanel("party_member"), FieldPanel("full_time")]),
            FieldPanel("grids"),
        ],
        base_form_class=forms.GridStaffForm,
    )

    def scope_queryset(self, queryset, user):
        # Staff are linked to regions through their grids (many-to-many): a
        # subquery keeps each person once however many grids match.
        visible = restrict_to_scope(GridStaff.objects.all(), user, "grids__region")
        return queryset.filter(pk__in=visible.values("pk"))

    def get_base_queryset(self, request):
        return GridStaff.objects.annotate(grid_count=Count("grids"))


# --- volunteers ----------------------------------------------------------------------


class VolunteerTeamViewSet(RegisterViewSet):
    model = VolunteerTeam
    scope_field = "region"
    icon = "group"
    menu_label = "志愿服务队"
    title = ("name", "队伍名称")
    columns = ["region", Column("member_count", label="队员数")]
    filterset_class = filters.VolunteerTeamFilterSet
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("region"), FieldPanel("description")],
        base_form_class=forms.VolunteerTeamForm,
    )

    def get_base_queryset(self, request):
        return VolunteerTeam.objects.select_related("region").annotate(
            member_count=Count("members")
        )


def _volunteer_buttons(user, volunteer):
    buttons = []
    if user.has_perm(VIEW_FULL_ID_PERMISSION):
        buttons.append(
            reveal_id_button("wagtailsnippets_snippets_volunteer:reveal_id", volunteer.pk)
        )
    if user.has_perm("snippets.change_volunteer"):
        buttons.append(
            Button(
                "出具服务证明",
                url=reverse("wagtailsnippets_snippets_volunteer:certificate", args=[volunteer.pk]),
                icon_name="doc-full",
                priority=41,
            )
        )
    return buttons


class VolunteerIndexView(SealedIdIndexView):
    person_buttons = staticmethod(_volunteer_buttons)


class VolunteerEditView(PersonButtonsEditMixin, EditView):
    person_buttons = staticmethod(_volunteer_buttons)


class VolunteerViewSet(RegisterViewSet):
    model = Volunteer
    scope_field = "grid__region"
    icon = "user"
    menu_label = "志愿者"
    index_view_class = VolunteerIndexView
    edit_view_class = VolunteerEditView
    # The sealed columns are never shown, not even to admins: the masked form is.
    inspect_view_fields_exclude = ["id_number_encrypted", "id_number_hash"]
    title = ("name", "姓名")
    columns = [
        Column("id_number_masked", label="身份证号"),
        Column("phone_masked", label="手机号码"),
        "grid",
        Column("hours_total", label="服务时长（小时）", sort_key="hours_total"),
        Column("points_total", label="积分余额", sort_key="points_total"),
        "active",
    ]
    list_per_page = 50
    filterset_class = filters.VolunteerFilterSet
    search_fields = ["name", "id_number_masked"]
    list_export = [
        "name",
        "gender",
        "id_number_masked",
        "phone_masked",
        "grid",
        "political_status",
        "registration_date",
        "hours_total",
        "points_total",
        "active",
    ]
    export_headings = {
        "name": "姓名",
        "gender": "性别",
        "id_number_masked": "身份证号（脱敏）",
        "phone_masked": "手机号码（脱敏）",
        "grid": "所属网格",
        "political_status": "政治面貌",
        "registration_date": "注册日期",
        "hours_total": "服务时长（小时）",
        "points_total": "积分余额",
        "active": "在册",
    }
    export_filename = "志愿者名册"
    edit_handler = ObjectList(
        [
            VolunteerTotalsPanel(),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("id_number")]),
                    FieldRowPanel([FieldPanel("gender"), FieldPanel("birth_date")]),
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("political_status")]),
                ],
                heading="基本信息",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("grid"),
                    FieldPanel("teams", widget=forms.forms.CheckboxSelectMultiple),
                    FieldPanel("skills"),
                    FieldRowPanel([FieldPanel("registration_date"), FieldPanel("active")]),
                    FieldPanel("notes"),
                ],
                heading="服务信息",
            ),
        ],
        base_form_class=forms.VolunteerForm,
    )

    def get_base_queryset(self, request):
        return annotate_totals(Volunteer.objects.select_related("grid", "grid__region"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("id-number/<int:pk>/", RevealIdNumberView.as_view(), name="reveal_id"),
            path("certificate/<int:pk>/", IssueCertificateView.as_view(), name="certificate"),
            path(
                "certificates/<str:serial>/",
                CertificatePrintView.as_view(),
                name="certificate_print",
            ),
        ]


class ServiceRecordViewSet(RegisterViewSet):
    model = ServiceRecord
    scope_field = "volunteer__grid__region"
    icon = "time"
    menu_label = "志愿服务记录"
    related = ("volunteer", "team")
    list_display = ["volunteer", "date", "hours", "activity", "team", "verifier"]
    list_per_page = 50
    filterset_class = filters.ServiceRecordFilterSet
    search_fields = ["activity", "volunteer__name", "verifier"]
    list_export = ["volunteer.name", "date", "hours", "activity", "team", "verifier"]
    export_headings = {"volunteer.name": "志愿者"}
    export_filename = "志愿服务记录"
    edit_handler = ObjectList(
        [
            FieldPanel("volunteer"),
            FieldRowPanel([FieldPanel("date"), FieldPanel("hours")]),
            FieldPanel("activity"),
            FieldRowPanel([FieldPanel("team"), FieldPanel("verifier")]),
        ],
        base_form_class=forms.ServiceRecordForm,
    )


class PointsEntryViewSet(RegisterViewSet):
    model = PointsEntry
    scope_field = "volunteer__grid__region"
    icon = "pick"
    menu_label = "积分记录"
    related = ("volunteer",)
    list_display = ["volunteer", "date", "kind", "points", "reason"]
    list_per_page = 50
    filterset_class = filters.PointsEntryFilterSet
    search_fields = ["reason", "volunteer__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("volunteer"),
            FieldRowPanel([FieldPanel("date"), FieldPanel("kind"), FieldPanel("points")]),
            FieldPanel("reason"),
        ],
        base_form_class=forms.PointsEntryForm,
    )


class CertificateIssueViewSet(RegisterViewSet):
    """Read-only record of issued certificates (issued from a volunteer's page)."""

    model = CertificateIssue
    scope_field = "region"
    icon = "doc-full"
    menu_label = "服务证明出具记录"
    related = ("issued_by",)
    list_display = [
        "serial",
        "volunteer_name",
        "id_number_masked",
        "total_hours",
        "issuing_body",
        "issued_at",
        "issued_by",
    ]
    search_fields = ["serial", "volunteer_name"]


class RegisterViewSetGroup(SnippetViewSetGroup):
    menu_label = "网格与志愿者"
    menu_icon = "table"
    menu_order = 210
    items = (
        GridViewSet,
        GridStaffViewSet,
        VolunteerViewSet,
        VolunteerTeamViewSet,
        ServiceRecordViewSet,
        PointsEntryViewSet,
        CertificateIssueViewSet,
        RegionViewSet,
        StaffRegionViewSet,
    )
