"""Region scoping for every Wagtail admin view of a register.

Wagtail's snippet views look objects up by primary key in many places (edit,
delete, inspect, history, usage, revisions, locking, workflow actions,
previews, choosers, bulk actions), each with its own ``get_object``. Rather
than override each view by hand, ``ScopedSnippetViewSet`` wraps every view
class it constructs with ``ScopedObjectMixin``, whose ``get_object`` refuses
(404) an object outside the user's regions; the index (and therefore its
export) and the chooser list only what is in scope; and the bulk delete action
is replaced by one that only ever sees in-scope objects. A 404 rather than a
403 so that a guessed URL does not even confirm that a record exists.
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

from .scope import restrict_to_scope


class ScopedObjectMixin:
    """Refuse objects outside the user's scope in any view that loads one by pk."""

    scope_queryset = None  # set per viewset: callable(queryset, user) -> queryset

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is None:  # create views have no object yet
            return obj
        model = obj._meta.model
        visible = self.scope_queryset(model._default_manager.filter(pk=obj.pk), self.request.user)
        if not visible.exists():
            raise Http404("不在您的辖区范围内")
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


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose every view is limited to the user's regions.

    Subclasses set ``scope_field`` (the lookup from the model to its region,
    e.g. ``"grid__region"``) or override ``scope_queryset``.
    """

    scope_field = None
    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True

    def scope_queryset(self, queryset, user):
        return restrict_to_scope(queryset, user, self.scope_field)

    def get_base_queryset(self, request):
        """The unscoped starting point of the index; override to add select_related etc."""
        return self.model._default_manager.all()

    def get_queryset(self, request):
        return self.scope_queryset(self.get_base_queryset(request), request.user)

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(
            scoped_view_class(view_class), scope_queryset=self.scope_queryset, **kwargs
        )

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
