"""Wagtail admin wiring of the disclosure area (imported by ``portal.pages.wagtail_hooks``).

* the catalog (``DisclosureCatalogItem``) as a snippet with a list view;
* a dashboard panel listing the overdue and soon-due disclosures of the
  villages in the user's region scope (computed by ``portal.pages.compliance``);
* after a disclosure is moved to another index, its copied region follows.
"""

import datetime

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.pages import compliance
from portal.pages.models import DisclosureCatalogItem, DisclosurePage
from portal.snippets.scope import region_ids_in_scope

UPCOMING_DAYS = 7
PANEL_ROWS = 15


class DisclosureCatalogViewSet(SnippetViewSet):
    model = DisclosureCatalogItem
    icon = "list-ul"
    menu_label = "村务公开目录"
    menu_name = "disclosure-catalog"
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "kind", "frequency", "due_day", "active_from", "active"]
    list_filter = ["kind", "frequency", "active"]
    search_fields = ["name", "description"]
    ordering = ["sort_order", "id"]


register_snippet(DisclosureCatalogViewSet)


def overdue_for_user(user, today=None):
    """(missing, upcoming) compliance entries of the villages in ``user``'s scope.

    ``missing``: due date passed and nothing published, oldest first.
    ``upcoming``: not yet published and due within ``UPCOMING_DAYS`` days.
    """
    today = today or timezone.localdate()
    scope = region_ids_in_scope(user)
    if scope is not None and not scope:
        return [], []
    _, _, entries = compliance.load_report(today=today, region_ids=scope)
    missing = sorted(
        (e for e in entries if e.status == compliance.MISSING),
        key=lambda e: (e.due, e.subject.sort_order, e.item.sort_order),
    )
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    upcoming = sorted(
        (e for e in entries if e.status == compliance.PENDING and e.due <= horizon),
        key=lambda e: (e.due, e.subject.sort_order, e.item.sort_order),
    )
    return missing, upcoming


class OverdueDisclosuresPanel(Component):
    """Dashboard panel: disclosures the user's villages still owe residents."""

    name = "overdue_disclosures"
    template_name = "pages/disclosure_admin_panel.html"
    order = 105

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        today = timezone.localdate()
        missing, upcoming = overdue_for_user(request.user, today)
        return {
            "request": request,
            "today": today,
            "missing": [(e, e.overdue_days(today)) for e in missing[:PANEL_ROWS]],
            "missing_count": len(missing),
            "upcoming": upcoming[:PANEL_ROWS],
            "show": bool(missing or upcoming),
        }


@hooks.register("construct_homepage_panels")
def add_overdue_disclosures_panel(request, panels):
    scope = region_ids_in_scope(request.user)
    if scope is None or scope:
        panels.append(OverdueDisclosuresPanel())


@hooks.register("after_move_page")
def refresh_moved_disclosure_region(request, page):
    """The region is copied from the parent index on save; a move must copy it again."""
    moved = DisclosurePage.objects.filter(pk=page.pk).first()
    if moved is not None:
        DisclosurePage.objects.filter(pk=moved.pk).update(region_id=moved.region_id_from_parent())
