"""Region scoping for every Wagtail admin view of a register: one mechanism.

Every scoped register — a snippet viewset (``ScopedSnippetViewSet``) or the
wagtail-modeladmin case register (``ScopedModelAdmin``) — is a ``RegionScope``:
it names the lookup from its model to the region (``scope_field``), or
overrides ``scope_queryset``; its index, export, chooser, bulk actions, object
views and per-object permissions all ask that one rule.

Wagtail's snippet views look objects up by primary key in many places (edit,
delete, inspect, history, usage, revisions, locking, workflow actions,
previews, choosers, bulk actions), each with its own ``get_object``. Rather
than override each view by hand, ``ScopedSnippetViewSet`` wraps every view
class it constructs with ``ScopedObjectMixin``, which refuses (404) an object
outside the user's regions; modeladmin views load their instance in
``__init__``, so the same mixin checks it in ``setup`` there
(``ScopedInstanceMixin``). The index (and therefore its export) and the
chooser list only what is in scope, and the bulk delete action is replaced by
one that only ever sees in-scope objects. A 404 rather than a 403 so that a
guessed URL does not even confirm that a record exists.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_list_or_404, redirect
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from .scope import region_in_scope, restrict_to_scope


class RegionScope:
    """The region rule of one admin register (a snippet viewset or a ModelAdmin).

    ``scope_field`` is the lookup from the model to its region (``"region"``,
    ``"grid__region"``, ``"id"`` for regions themselves). A register whose rows
    reach regions another way overrides ``scope_queryset`` and leaves
    ``scope_field`` empty.
    """

    scope_field = None

    def scope_queryset(self, queryset, user):
        return restrict_to_scope(queryset, user, self.scope_field)

    def stored_in_scope(self, user, obj):
        """Whether the row as stored (not a draft's edited copy) lies in the user's regions."""
        rows = obj._meta.model._default_manager.filter(pk=obj.pk)
        return self.scope_queryset(rows, user).exists()

    def in_scope(self, user, obj):
        """The same test on a row just read from the database; free of queries for a
        direct region link (list buttons ask it once a row)."""
        field = self.scope_field
        if field and "__" not in field:
            return region_in_scope(user, obj.pk if field == "id" else getattr(obj, f"{field}_id"))
        return self.stored_in_scope(user, obj)


class ScopedObjectMixin:
    """Refuse (404) objects outside the user's scope in any view that loads one by pk."""

    region_scope = None  # the register's RegionScope, passed in by the viewset

    def refuse_out_of_scope(self, obj):
        if obj is not None and not self.region_scope.stored_in_scope(self.request.user, obj):
            raise Http404("不在您的辖区范围内")

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        self.refuse_out_of_scope(obj)  # None: create views have no object yet
        return obj


_scoped_classes = {}


def scoped_view_class(view_class):
    """``view_class`` with ``ScopedObjectMixin`` in front (cached, one subclass per class)."""
    if issubclass(view_class, ScopedObjectMixin):
        return view_class
    if view_class not in _scoped_classes:
        _scoped_classes[view_class] = type(
            f"Scoped{view_class.__name__}", (ScopedObjectMixin, view_class), {}
        )
    return _scoped_classes[view_class]


# --- choosers ----------------------------------------------------------------------


class _ScopedChooserListMixin:
    scope_queryset = None

    def get_object_list(self):
        return self.scope_queryset(super().get_object_list(), self.request.user)


class ScopedChooseView(_ScopedChooserListMixin, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedChooserListMixin, ChooseResultsView):
    pass


class ScopedChosenView(SnippetChosenView):
    scope_queryset = None

    def get_object(self, pk):
        return self.scope_queryset(self.model_class.objects.all(), self.request.user).get(pk=pk)


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    scope_queryset = None

    def get_objects(self, pks):
        return self.scope_queryset(self.model_class.objects.filter(pk__in=pks), self.request.user)


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    scope_queryset = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope_queryset=self.scope_queryset, **kwargs)


# --- the viewset -------------------------------------------------------------------


class ScopedSnippetViewSet(RegionScope, SnippetViewSet):
    """A snippet viewset whose every view is limited to the user's regions.

    Subclasses set ``scope_field`` or override ``scope_queryset`` (``RegionScope``).
    """

    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True

    def get_base_queryset(self, request):
        """The unscoped starting point of the index; override to add select_related etc."""
        return self.model._default_manager.all()

    def get_queryset(self, request):
        return self.scope_queryset(self.get_base_queryset(request), request.user)

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class), region_scope=self, **kwargs)

    @property
    def chooser_viewset(self):
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            scope_queryset=self.scope_queryset,
        )


# --- wagtail-modeladmin registers (the case register) -------------------------------


class ScopedInstanceMixin(ScopedObjectMixin):
    """A modeladmin instance view (edit, delete, inspect, history, actions) of a
    ``ScopedModelAdmin``: the instance modeladmin loaded must be in scope."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.region_scope = self.model_admin
        self.refuse_out_of_scope(self.instance)


class ScopedPermissionHelper(PermissionHelper):
    """Model permissions, and for one object also the register's region rule."""

    region_scope = None  # set by ScopedModelAdmin

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self.region_scope.in_scope(user, obj)

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self.region_scope.in_scope(user, obj)

    def user_can_delete_obj(self, user, obj):
        return super().user_can_delete_obj(user, obj) and self.region_scope.in_scope(user, obj)


class ScopedModelAdmin(RegionScope, ModelAdmin):
    """A wagtail-modeladmin register limited to the user's regions by ``RegionScope``.

    Its instance views must include ``ScopedInstanceMixin``; its permission
    helper must be a ``ScopedPermissionHelper``.
    """

    permission_helper_class = ScopedPermissionHelper

    def __init__(self, parent=None):
        super().__init__(parent)
        self.permission_helper.region_scope = self

    def get_queryset(self, request):
        return self.scope_queryset(super().get_queryset(request), request.user)


def scoped_models():
    return [
        model
        for model in get_snippet_models()
        if isinstance(getattr(model, "snippet_viewset", None), ScopedSnippetViewSet)
    ]


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Bulk delete that only ever sees the user's in-scope objects.

    Registered after Wagtail's own so that it replaces it for scoped models.
    A model may veto deleting some objects through ``delete_problem(obj)`` on
    its viewset (grids with volunteers or cases).
    """

    @classproperty
    def models(cls):
        return scoped_models()

    def _scoped(self, queryset):
        return self.model.snippet_viewset.scope_queryset(queryset, self.request.user)

    def get_all_objects_in_listing_query(self, parent_id):
        return self._scoped(self.model.objects.all()).values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        return get_list_or_404(self._scoped(model.objects.filter(pk__in=object_ids)))

    def prepare_action(self, objects, objects_without_access):
        veto = getattr(self.model.snippet_viewset, "delete_problem", None)
        if veto is None:
            return None
        problems = [f"{obj}：{problem}" for obj in objects if (problem := veto(obj))]
        if problems:
            for problem in problems:
                messages.error(self.request, problem)
            return redirect(self.next_url)
        return None
