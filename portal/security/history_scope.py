"""Region scope for the audit log (Wagtail's log entries).

Wagtail decides who may read a log entry by model permission only: anyone who
may view volunteers reads every volunteer's history, in every village, with
names, masked ID numbers and who looked at whose full ID number. This module
places each entry in a region through the object it is about, and keeps the
entries outside the user's regions out of every list, filter and export:

* snippets: through the same ``scope_queryset`` their admin viewset uses
  (``ScopedSnippetViewSet``: grid → village, volunteer → grid → village,
  service record → volunteer → …), so the rule lives in one place;
* cases: through the case register's own rule (``CaseModelAdmin``, a
  ``ScopedModelAdmin``: case → village);
* pages: through the village (or town) disclosure board they sit under, the
  nearest ``DisclosureIndexPage`` with a region; pages outside any board
  (notices, policies, home) are the town's shared content and follow Wagtail's
  page permissions alone, as do board pages for a user with no region
  assignment at all (宣传编辑, whose reach is granted as page permissions);
* anything that cannot be placed (a deleted object, a model with no region, a
  log about a user account) is shown only to superusers and county-level staff.

A region-scoped user never sees entries of another region, and the rule is a
queryset filter, so counts, pagination, the filter choices and CSV/XLSX
exports all agree.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, Subquery
from django.db.models.functions import Cast

from portal.snippets.scope import ALL, region_ids_in_scope


def sees_unplaced_entries(user):
    """Superusers and staff assigned to a county may read entries no region claims."""
    if user.is_superuser:
        return True
    return user.staff_regions.filter(region__level="county").exists()


def _model_scopes():
    """{model: callable(queryset, user) → the rows of ``queryset`` in the user's scope}."""
    from wagtail.snippets.models import get_snippet_models

    from portal.cases.wagtail_hooks import CaseModelAdmin
    from portal.snippets.admin_scope import ScopedSnippetViewSet
    from portal.snippets.scope import restrict_to_scope

    scopes = {}
    for model in get_snippet_models():
        viewset = getattr(model, "snippet_viewset", None)
        if isinstance(viewset, ScopedSnippetViewSet):
            scopes[model] = viewset.scope_queryset
    field = CaseModelAdmin.scope_field  # the register's rule; its instance is Wagtail's
    scopes[CaseModelAdmin.model] = lambda qs, user: restrict_to_scope(qs, user, field)
    return scopes


def _object_ids(queryset):
    """The pks of ``queryset`` as text, the type of ``ModelLogEntry.object_id``."""
    return Subquery(
        queryset.annotate(_log_object_id=Cast("pk", CharField())).values("_log_object_id")
    )


def scope_model_log_entries(queryset, user):
    """``queryset`` (ModelLogEntry) limited to the entries placed in the user's regions."""
    if region_ids_in_scope(user) is ALL:
        return queryset
    scopes = _model_scopes()
    if sees_unplaced_entries(user):
        # County staff: everything except objects that exist in another county's regions.
        for model, scope in scopes.items():
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            manager = model._default_manager
            outside = manager.exclude(pk__in=scope(manager.all(), user).values("pk"))
            queryset = queryset.exclude(
                content_type_id=content_type.pk, object_id__in=_object_ids(outside)
            )
        return queryset
    visible = Q(pk__in=[])
    for model, scope in scopes.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        in_scope = _object_ids(scope(model._default_manager.all(), user))
        visible |= Q(content_type_id=content_type.pk, object_id__in=in_scope)
    return queryset.filter(visible)


def _board_paths(user):
    """(paths of boards in scope, paths of boards out of scope) for ``user``."""
    from portal.pages.disclosures.models import DisclosureIndexPage

    scope = region_ids_in_scope(user)
    inside, outside = [], []
    for path, region_id in DisclosureIndexPage.objects.filter(region__isnull=False).values_list(
        "path", "region_id"
    ):
        (inside if region_id in scope else outside).append(path)
    return inside, outside


def scope_page_log_entries(queryset, user):
    """``queryset`` (PageLogEntry) without the entries of other regions' boards."""
    from wagtail.models import Page

    scope = region_ids_in_scope(user)
    if scope is ALL:
        return queryset
    if not scope:
        # No region at all: page permissions (already applied by Wagtail) decide.
        return queryset
    inside, outside = _board_paths(user)
    if not sees_unplaced_entries(user):
        # A deleted page cannot be placed.
        queryset = queryset.filter(page_id__in=Page.objects.values("pk"))
    if not outside:
        return queryset
    in_board = Q()
    for path in inside:
        in_board |= Q(path__startswith=path)
    out_board = Q()
    for path in outside:
        out_board |= Q(path__startswith=path)
    # Out of scope: under another region's board and not under a (deeper) board of one's own.
    hidden = Page.objects.filter(out_board)
    if inside:
        hidden = hidden.exclude(in_board)
    return queryset.exclude(page_id__in=hidden.values("pk"))


def scope_log_entries(queryset, user):
    """Any Wagtail log-entry queryset limited to the user's regions."""
    from wagtail.models import PageLogEntry

    model = queryset.model
    if issubclass(model, PageLogEntry):
        return scope_page_log_entries(queryset, user)
    if any(field.name == "object_id" for field in model._meta.get_fields()):
        return scope_model_log_entries(queryset, user)
    # A log model this module does not know how to place.
    if region_ids_in_scope(user) is ALL or sees_unplaced_entries(user):
        return queryset
    return queryset.none()


def scope_workflow_states(queryset, user, prefix=""):
    """Workflow or task states (``prefix="workflow_state__"``) without other regions' objects.

    Wagtail's workflow reports list every snippet of a model the user may edit:
    a village's staff would read each town's pending grid changes. A state of a
    scoped register's object is kept only when the object is in the user's
    regions (the register's own rule); page states are left to Wagtail, which
    lists only pages the user may edit.
    """
    if region_ids_in_scope(user) is ALL:
        return queryset
    for model, scope in _model_scopes().items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        in_scope = _object_ids(scope(model._default_manager.all(), user))
        queryset = queryset.exclude(
            Q(**{f"{prefix}content_type_id": content_type.pk})
            & ~Q(**{f"{prefix}object_id__in": in_scope})
        )
    return queryset
