"""Wagtail admin for the care registers, every view scoped by region (``admin_scope``).

Care objects are edited here (ID number masked, full number behind a permission
and logged, every full view of a record logged). Visits and rounds come from
the field (``services.record_visit``, ``start_round``): the admin lists and
inspects them but does not type them, so the rules have one door.
"""

from django.urls import path
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSetGroup

from portal.snippets.register_admin import RegisterViewSet
from portal.snippets.sealed_ids import PersonButtonsEditMixin, SealedIdIndexView, reveal_id_button

from . import filters, forms, services
from .admin_views import VIEW_FULL_ID_PERMISSION, LoggedViewMixin, RevealCareIdNumberView
from .models import CareObject, GridRankingWeights, Round, Visit, VisitCadence, VisitWarning


class ListAndInspectPolicy(ModelPermissionPolicy):
    """Model permissions, minus adding and editing: these records come through the services."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


for _model in (Visit, Round, VisitWarning):
    register_permission_policy(_model, ListAndInspectPolicy(_model))


class _FieldRecordViewSet(RegisterViewSet):
    """Records that come from the field: listed and inspected here, never typed.

    The first column (``title``) links to the record's inspect view.
    """

    inspect_view_enabled = True
    list_per_page = 50
    title_view = "inspect"


class VisitStateColumn(Column):
    """走访状态: 按期 / 逾期未走访 / 连续两个周期未走访, from the cadence rules."""

    def get_value(self, instance):
        state = services.visit_state(instance, timezone.localdate())
        if state.overdue:
            return f"{state.label}（应于{state.due_on.month}月{state.due_on.day}日前）"
        return f"按期（下次{state.due_on.month}月{state.due_on.day}日前）"


# --- care objects -----------------------------------------------------------------


def _care_buttons(user, care_object):
    if not user.has_perm(VIEW_FULL_ID_PERMISSION):
        return []
    return [reveal_id_button("wagtailsnippets_care_careobject:reveal_id", care_object.pk)]


class CareObjectIndexView(SealedIdIndexView):
    person_buttons = staticmethod(_care_buttons)


class CareObjectEditView(LoggedViewMixin, PersonButtonsEditMixin, EditView):
    logged_where = "编辑页"
    person_buttons = staticmethod(_care_buttons)


class CareObjectInspectView(LoggedViewMixin, InspectView):
    logged_where = "详情页"


class CareObjectViewSet(RegisterViewSet):
    model = CareObject
    scope_field = "grid__region"
    icon = "user"
    menu_label = "关爱对象"
    index_view_class = CareObjectIndexView
    edit_view_class = CareObjectEditView
    inspect_view_class = CareObjectInspectView
    inspect_view_fields_exclude = ["id_number_encrypted", "id_number_hash"]
    title = ("name", "姓名")
    columns = [
        "kind",
        Column("id_number_masked", label="身份证号"),
        Column("phone_masked", label="联系电话"),
        "grid",
        DateColumn("last_visit_at", label="最近走访", sort_key="last_visit_at"),
        VisitStateColumn("visit_state", label="走访状态"),
        "active",
    ]
    list_per_page = 50
    filterset_class = filters.CareObjectFilterSet
    search_fields = ["name", "id_number_masked"]
    list_export = ["name", "kind", "id_number_masked", "phone_masked", "grid", "active"]
    export_headings = {
        "name": "姓名",
        "kind": "对象类别",
        "id_number_masked": "身份证号（脱敏）",
        "phone_masked": "联系电话（脱敏）",
        "grid": "所属网格",
        "active": "在册",
    }
    export_filename = "关爱对象名册"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
                    FieldRowPanel([FieldPanel("id_number"), FieldPanel("phone")]),
                    FieldPanel("address"),
                ],
                heading="基本信息",
            ),
            MultiFieldPanel(
                [FieldPanel("grid"), FieldPanel("notes"), FieldPanel("active")],
                heading="关爱信息",
            ),
        ],
        base_form_class=forms.CareObjectForm,
    )

    def get_base_queryset(self, request):
        objects = CareObject.objects.select_related("grid", "grid__region")
        return services.with_cadence(services.with_last_visit(objects))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("id-number/<int:pk>/", RevealCareIdNumberView.as_view(), name="reveal_id"),
        ]


# --- visits and rounds ---------------------------------------------------------------


class VisitViewSet(_FieldRecordViewSet):
    model = Visit
    scope_field = "care_object__grid__region"
    icon = "home"
    menu_label = "走访记录"
    related = ("care_object", "care_object__grid", "worker", "case")
    title = ("care_object", "关爱对象")
    columns = [
        Column("grid_name", label="所属网格", accessor="care_object.grid.name"),
        *("visited_at", "worker", "found_well", "case"),
    ]
    filterset_class = filters.VisitFilterSet
    search_fields = ["care_object__name", "needs", "follow_up"]
    inspect_view_fields = [
        "care_object",
        "worker",
        "visited_at",
        "found_well",
        "needs",
        "follow_up",
        "case",
        "created_at",
    ]
    list_export = ["care_object.name", "care_object.grid", "visited_at", "worker", "found_well"]
    export_headings = {"care_object.name": "关爱对象", "care_object.grid": "所属网格"}
    export_filename = "走访记录"


class RoundViewSet(_FieldRecordViewSet):
    model = Round
    scope_field = "grid__region"
    icon = "time"
    menu_label = "巡查记录"
    related = ("grid", "worker")
    title = ("grid", "巡查网格")
    columns = ["date", "worker", "started_at", "finished_at"]
    filterset_class = filters.RoundFilterSet
    search_fields = ["grid__name", "notes"]
    inspect_view_fields = ["grid", "worker", "date", "started_at", "finished_at", "notes"]
    list_export = ["grid", "date", "worker", "started_at", "finished_at", "notes"]
    export_filename = "巡查记录"


class VisitWarningViewSet(_FieldRecordViewSet):
    model = VisitWarning
    scope_field = "care_object__grid__region"
    icon = "warning"
    menu_label = "逾期提醒记录"
    related = ("care_object",)
    list_display = ["care_object", "date", "level", "recipients", "sent_at"]
    search_fields = ["care_object__name"]


# --- town settings ------------------------------------------------------------------


class VisitCadenceViewSet(RegisterViewSet):
    model = VisitCadence
    scope_field = "town"
    icon = "date"
    menu_label = "走访周期"
    related = ("town",)
    title = ("town", "乡镇/街道")
    columns = ["kind", "days"]
    filterset_class = filters.VisitCadenceFilterSet
    search_fields = ["town__name"]
    edit_handler = ObjectList(
        [FieldPanel("town"), FieldRowPanel([FieldPanel("kind"), FieldPanel("days")])],
        base_form_class=forms.VisitCadenceForm,
    )


class GridRankingWeightsViewSet(RegisterViewSet):
    model = GridRankingWeights
    scope_field = "town"
    icon = "pick"
    menu_label = "网格评星权重"
    related = ("town",)
    title = ("town", "乡镇/街道")
    columns = GridRankingWeights.WEIGHT_FIELDS
    search_fields = ["town__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("town"),
            FieldRowPanel([FieldPanel(name) for name in GridRankingWeights.WEIGHT_FIELDS]),
        ],
        base_form_class=forms.GridRankingWeightsForm,
    )


class CareViewSetGroup(SnippetViewSetGroup):
    menu_label = "关爱走访"
    menu_icon = "group"
    menu_order = 215
    items = (
        CareObjectViewSet,
        VisitViewSet,
        RoundViewSet,
        VisitCadenceViewSet,
        GridRankingWeightsViewSet,
        VisitWarningViewSet,
    )
