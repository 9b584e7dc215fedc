"""Wagtail admin wiring of the disclosure area (imported by ``portal.pages.wagtail_hooks``).

* the catalog (``DisclosureCatalogItem``) as a snippet with a list view;
* a dashboard panel listing the overdue and soon-due disclosures of the
  villages in the user's region scope (computed by ``portal.pages.disclosures.compliance``);
* after a disclosure is moved to another index, its copied region follows;
* the committee's review (rules in ``disclosure_review``): read-only content
  during review, no publishing without approval from any admin screen, withdrawal
  only by the submitter or a town admin, the override logged.
"""

import datetime
import json

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import CancelWorkflowMenuItem, WorkflowMenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.pages.disclosures import compliance, review
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


class ReviewsToWithdrawPanel(Component):
    """Dashboard panel: disclosures under review the user may withdraw (submitter, town admin)."""

    name = "disclosure_reviews"
    template_name = "pages/disclosure_review_panel.html"
    order = 106

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"request": parent_context["request"], "rows": self.rows[:PANEL_ROWS]}


@hooks.register("construct_homepage_panels")
def add_reviews_to_withdraw_panel(request, panels):
    rows = review.cancellable_reviews(request.user)
    if rows:
        panels.append(ReviewsToWithdrawPanel(rows))


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


# --- the committee's review: Chinese refusals before Wagtail reaches the model's door ------


def _edit_redirect(page):
    return redirect("wagtailadmin_pages:edit", page.pk)


def _without(request, *names):
    """Drop ``names`` from the POST data so Wagtail takes its ordinary save path instead."""
    data = request.POST.copy()
    for name in names:
        data.pop(name, None)
    request.POST = data


@hooks.register("before_edit_page")
def guard_disclosure_edit(request, page):
    """Under review: nothing is saved; the reviewer acts, the submitter may withdraw.

    Outside review: "publish" without the override saves a draft (the new revision
    then needs the committee's approval), as it already does for editors.
    """
    if not isinstance(page, DisclosurePage) or request.method != "POST":
        return None
    user = request.user
    state = review.review_in_progress(page)
    if state is not None:
        if request.POST.get("action-cancel-workflow") or request.POST.get(
            "action-restart-workflow"
        ):
            if review.cancel_review(page, user):
                messages.success(request, f"已撤回「{page.title}」的审核，内容未作修改。")
            else:
                messages.error(request, "只有提交人或乡镇（街道）管理员可以撤回审核。")
            return _edit_redirect(page)
        if request.POST.get("action-workflow-action"):
            return _perform_review_action(request, page)
        messages.error(request, "本公开内容正在审核中，审核期间内容只读，修改未保存。")
        return _edit_redirect(page)
    if request.POST.get("action-publish") and not review.has_override(user):
        _without(request, "action-publish")
        messages.warning(
            request, "公开内容须经本村村务监督委员会审核后发布：已保存为草稿，请提交审核。"
        )
    return None


def _perform_review_action(request, page):
    """Approve or request changes from the edit screen, without touching the content."""
    task = page.current_workflow_task
    task_state = page.current_workflow_task_state
    name = request.POST.get("workflow-action-name")
    allowed = [action for action, _, _ in task.get_actions(page, request.user)]
    if not review.is_reviewer(task, request.user) or name not in allowed:
        messages.error(request, "只有本村村务监督委员会成员可以审核本公开内容。")
        return _edit_redirect(page)
    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        extra = {}
    comment = extra.get("comment", "") if isinstance(extra, dict) else ""
    try:
        task.on_action(task_state, request.user, name, comment=str(comment))
    except PermissionDenied:
        messages.error(request, review.NOT_APPROVED_MESSAGE)
        return _edit_redirect(page)
    messages.success(request, f"已审核「{page.title}」。")
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_publish_page")
def guard_disclosure_publish(request, page):
    """The edit view publishes without ``page.publish()``: authorise (and log an override) here."""
    if not isinstance(page, DisclosurePage):
        return None
    try:
        review.authorise_publication(page, page.get_latest_revision(), request.user)
    except PermissionDenied:
        messages.error(request, review.NOT_APPROVED_MESSAGE)
        return _edit_redirect(page)
    return None


@hooks.register("before_create_page")
def guard_disclosure_create(request, parent_page, page_class):
    if page_class is DisclosurePage and request.method == "POST":
        if request.POST.get("action-publish") and not review.has_override(request.user):
            _without(request, "action-publish")
    return None


@hooks.register("construct_page_action_menu")
def disclosure_action_menu(menu_items, request, context):
    """Show only what the rules allow: review actions to the committee, withdraw to the submitter."""
    page = context.get("page")
    if not isinstance(page, DisclosurePage) or context.get("view") != "edit":
        return
    user = request.user
    state = review.review_in_progress(page)
    if state is not None:
        menu_items[:] = [item for item in menu_items if item.name != "action-cancel-workflow"]
        task = page.current_workflow_task
        if review.is_reviewer(task, user):
            for order, (name, label, modal) in enumerate(task.get_actions(page, user)):
                icon = "success" if name == "approve" else "edit"
                item = WorkflowMenuItem(name, label, modal, order=order, icon_name=icon)
                menu_items.insert(order, item)
        if review.can_cancel_review(page, user, state):
            cancel = CancelWorkflowMenuItem(order=900)
            cancel.label = "撤回审核"
            menu_items.append(cancel)
        return
    for item in menu_items:
        if item.name == "action-publish":
            item.label = "紧急发布（" + review.UNREVIEWED_NOTE + "）"


@hooks.register("before_bulk_action")
def guard_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish" or review.has_override(request.user):
        return None
    for page in objects:
        specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
        if isinstance(specific, DisclosurePage) and not review.latest_revision_publishable(
            specific, request.user
        ):
            messages.error(
                request, f"「{page.title}」未经村务监督委员会审核，不能批量发布；未发布任何页面。"
            )
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_copy_page")
def guard_disclosure_copy(request, page):
    """A copy is a new page with no approval of its own: it is saved as a draft."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    has_disclosures = isinstance(page.specific, DisclosurePage) or (
        DisclosurePage.objects.descendant_of(page).exists()
    )
    if has_disclosures:
        _without(request, "publish_copies")
        messages.warning(request, "公开内容的副本须重新经村务监督委员会审核，已保存为草稿。")
    return None


@hooks.register("before_move_page")
def guard_disclosure_move(request, page, destination):
    """A live disclosure approved by one village's committee cannot move to another board."""
    specific = page.specific
    if not isinstance(specific, DisclosurePage) or not specific.live:
        return None
    target_region = getattr(destination.specific, "region_id", None)
    if target_region != specific.region_id and not review.has_override(request.user):
        messages.error(
            request, "已发布的公开内容不能移到其他村（社区）的公开栏；请在目标栏目重新提交审核。"
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(
        review.OVERRIDE_ACTION, "未经审核紧急发布", "未经村务监督委员会审核紧急发布"
    )


@hooks.register("register_permissions")
def register_override_permission():
    return Permission.objects.filter(
        content_type__app_label="pages", codename=review.OVERRIDE_CODENAME
    )


@hooks.register("register_admin_urls")
def review_admin_urls():
    from portal.pages.disclosures.review_views import cancel_review_view

    return [
        path(
            "disclosures/<int:page_id>/cancel-review/",
            cancel_review_view,
            name="disclosure_cancel_review",
        )
    ]


# --- privacy check: a deliberate confirmation is logged ------------------------------------

LEAK_CONFIRMED_ACTION = "portal.privacy.publication_confirmed"


@hooks.register("register_log_actions")
def register_leak_log_actions(actions):
    actions.register_action(
        LEAK_CONFIRMED_ACTION, "确认公开个人号码", "经当事人同意公开手机号码（已确认）"
    )


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def log_leak_confirmation(request, page):
    """Record that the editor confirmed the people concerned agreed to their numbers."""
    from portal.pages.disclosures import leaks
    from portal.pages.models import NoticePage

    if not isinstance(page, DisclosurePage | NoticePage) or not request.POST.get("leak_confirm"):
        return
    found = [leak for leak in leaks.scan_page(page) if leak.confirmable]
    if not found:
        return
    log(
        instance=page,
        action=LEAK_CONFIRMED_ACTION,
        user=request.user,
        data={
            "reason": (request.POST.get("leak_reason") or "")[:200],
            "places": [f"{leak.where}：{leak.masked}" for leak in found],
        },
    )


# --- a period that has not ended yet: warn, do not refuse ---------------------------------


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def warn_if_period_not_ended(request, page):
    """After a submission for review, tell the clerk when the period is still running.

    Publishing early is sometimes right (an interim report), so this is a message
    in Wagtail's messages, never a refusal.
    """
    from portal.pages.disclosures.defaults import period_not_ended

    if not isinstance(page, DisclosurePage) or not request.POST.get("action-submit"):
        return
    if period_not_ended(page.period_type, page.year, page.period_number, timezone.localdate()):
        messages.warning(
            request,
            f"提示：所选期间（{page.period_label}）尚未结束，请确认是否需要现在提交公开。",
        )


@hooks.register("insert_editor_js")
def finance_totals_js():
    """Running totals of the finance lines in the disclosure editor (idle on other pages)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html(
        '<script src="{}" defer></script>', static("js/disclosure-finance-totals.js")
    )
