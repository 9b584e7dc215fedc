"""The site-history report (审计日志), limited to the user's regions.

Why an override and not a hook: Wagtail 8's ``LogEntriesView`` builds its
queryset from each log model's ``viewable_by_user`` (model permission only) and
offers no hook to filter it; ``register_reports_menu_item`` only adds menu
items, and ``construct_reports_menu`` could hide the item but not the URL, its
``results/`` partial or its ``?export=csv|xlsx``. So ``portal.urls`` routes
``admin/reports/site-history/`` (and ``results/``) to this subclass, ahead of
Wagtail's admin URLs; the URL names stay Wagtail's, so the menu, the filter
form and the export links all land here. Every row, every filter choice (the
users, object types and actions offered) and every export goes through
``history_scope.scope_log_entries``.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Value
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry

from .history_scope import scope_log_entries


def visible_log_querysets(user):
    """(index, model, queryset) of every log model, each limited to ``user``'s regions."""
    for index, log_model in enumerate(log_action_registry.get_log_entry_models()):
        yield index, log_model, scope_log_entries(log_model.objects.viewable_by_user(user), user)


def _users_for_filter(user):
    ids = set()
    for _index, _model, queryset in visible_log_querysets(user):
        ids.update(queryset.get_user_ids())
    User = get_user_model()
    return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


def _content_types_for_filter(user):
    ids = set()
    for _index, _model, queryset in visible_log_querysets(user):
        ids.update(queryset.get_content_type_ids())
    return ContentType.objects.filter(pk__in=ids).order_by("model")


def _actions_for_filter(user):
    actions = set()
    for _index, _model, queryset in visible_log_querysets(user):
        actions.update(queryset.get_actions())
    return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The report's filters, offering only users, types and actions of visible entries."""

    object_type = ContentTypeFilter(
        label="类型",
        method="filter_object_type",
        queryset=lambda request: _content_types_for_filter(request.user),
    )

    def get_action_choices(self):
        return _actions_for_filter(self.request.user)

    def get_user_choices(self):
        return _users_for_filter(self.request.user)


class ScopedLogEntriesView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's method, with each log model's rows scoped before the union.
        self.log_models = []
        queryset = None
        for index, log_model, visible in visible_log_querysets(self.request.user):
            self.log_models.append(log_model)
            sub_queryset = visible.values("pk", "timestamp").annotate(
                log_model_index=Value(index, output_field=IntegerField())
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")
