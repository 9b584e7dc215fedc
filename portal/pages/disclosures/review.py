"""The committee's review of a disclosure, as plain rules every publishing path goes through.

Law and residents care about one thing: what is on the board was approved by the
village's supervision committee (村务监督委员会). Wagtail's workflow records every
step (``TaskState``); these functions read those records and decide:

* a revision may go live only if a member of the approving task's groups (the
  village committee) approved *that* revision — a superuser pressing "approve"
  is not the committee, and a later edit is a new revision that needs its own
  approval;
* the only exception is an explicit emergency override: the permission
  ``pages.publish_disclosure_without_review`` granted to the user or one of their
  groups (a superuser does not hold it implicitly), logged in the audit log, and
  the public page then says 未经村务监督委员会审核;
* while a review is in progress the content is read-only for everybody
  (``DisclosureReviewLock``); only the submitter or a town admin of the
  village may withdraw it.

``DisclosurePage.publish`` calls ``authorise_publication`` (the door for the edit
view, bulk actions, revisions, scheduled publishing, the workflow and scripts);
the admin hooks in ``disclosure_hooks`` only turn refusals into Chinese messages
before Wagtail gets that far.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.html import format_html
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.locks import WorkflowLock
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from portal.groups import COUNTY_ADMIN, TOWN_ADMIN

OVERRIDE_CODENAME = "publish_disclosure_without_review"
OVERRIDE_PERMISSION = f"pages.{OVERRIDE_CODENAME}"
OVERRIDE_ACTION = "portal.disclosure.publish_without_review"
UNREVIEWED_NOTE = "未经村务监督委员会审核"
NOT_APPROVED_MESSAGE = "公开内容须经本村村务监督委员会审核通过后才能发布；本次修改未发布。"


class DisclosureNotApproved(PublishPagePermissionError):
    """Raised when a revision of a disclosure would go live without the committee's approval."""


def has_override(user):
    """Whether ``user`` holds the emergency override *explicitly* (never implied by superuser)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_portal_disclosure_override", None)
    if cached is None:
        cached = (
            Permission.objects.filter(content_type__app_label="pages", codename=OVERRIDE_CODENAME)
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        user._portal_disclosure_override = cached
    return cached


def is_reviewer(task, user):
    """A member of the task's groups (the village committee); superusers are not reviewers."""
    groups = getattr(task, "groups", None)
    if task is None or groups is None or user is None or not user.is_authenticated:
        return False
    return groups.filter(user=user).exists()


def committee_approval(revision):
    """The approved ``TaskState`` of ``revision`` finished by a committee member, or None."""
    if revision is None or revision.pk is None:
        return None
    states = (
        TaskState.objects.filter(revision_id=revision.pk, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-id")
    )
    for state in states:
        if is_reviewer(state.task.specific, state.finished_by):
            return state
    return None


def was_overridden(revision):
    """Whether ``revision`` was released by the logged emergency override."""
    if revision is None or revision.pk is None:
        return False
    return PageLogEntry.objects.filter(revision_id=revision.pk, action=OVERRIDE_ACTION).exists()


def authorise_publication(page, revision, user=None):
    """Allow ``revision`` of ``page`` to go live, or raise ``DisclosureNotApproved``.

    Returns ``"approved"`` or ``"override"``; the override is logged here, once
    per revision, so scheduled publishing of an overridden revision later passes.
    """
    if committee_approval(revision) is not None:
        return "approved"
    if was_overridden(revision):
        return "override"
    if has_override(user):
        log(
            instance=page,
            action=OVERRIDE_ACTION,
            user=user,
            revision=revision,
            data={"title": page.title, "revision_id": revision.pk},
        )
        return "override"
    raise DisclosureNotApproved(NOT_APPROVED_MESSAGE)


def check_going_live(page):
    """Last line of defence, called by ``DisclosurePage.save``: a new live revision must be cleared.

    Wagtail's edit view and admin API publish through ``PublishPageRevisionAction``
    directly rather than ``page.publish()``; both end in ``save()`` with a new
    ``live_revision``, so this catches every path (the override was logged by then).
    """
    if page.pk is None or not page.live or page.live_revision_id is None:
        return
    stored = (
        type(page).objects.filter(pk=page.pk).values_list("live_revision_id", flat=True).first()
    )
    if stored == page.live_revision_id:
        return
    revision = Revision.objects.filter(pk=page.live_revision_id).first()
    if committee_approval(revision) is None and not was_overridden(revision):
        raise DisclosureNotApproved(NOT_APPROVED_MESSAGE)


def latest_revision_publishable(page, user):
    """What the publish permission tester asks: could ``user`` put the latest revision live?"""
    if has_override(user):
        return True
    revision = page.get_latest_revision()
    return committee_approval(revision) is not None or was_overridden(revision)


def live_review(page):
    """(approval TaskState or None, overridden?) of the revision that is live now."""
    revision_id = getattr(page, "live_revision_id", None)
    if revision_id is None:
        return None, False
    revision = page.live_revision
    return committee_approval(revision), was_overridden(revision)


# --- the review in progress ---------------------------------------------------


def review_in_progress(page):
    """The in-progress ``WorkflowState`` of ``page`` (None when it is not under review)."""
    if page.pk is None:
        return None
    return (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .first()
    )


def is_town_admin_for(page, user):
    """A town (or county) admin whose regions include the disclosure's village."""
    if user is None or not user.is_authenticated:
        return False
    if not user.groups.filter(name__in=[TOWN_ADMIN, COUNTY_ADMIN]).exists():
        return False
    from portal.snippets.scope import ALL, region_ids_in_scope  # models import this module

    scope = region_ids_in_scope(user)
    return scope is ALL or page.region_id in scope


def can_cancel_review(page, user, state=None):
    """Only the submitter or a town admin of the village may withdraw a review."""
    state = state or review_in_progress(page)
    if state is None or user is None or not user.is_authenticated:
        return False
    return state.requested_by_id == user.pk or is_town_admin_for(page, user)


def cancel_review(page, user):
    """Withdraw the review of ``page`` (Wagtail logs it in the page history). Returns success."""
    state = review_in_progress(page)
    if state is None or not can_cancel_review(page, user, state):
        return False
    state.cancel(user=user)
    return True


class DisclosureReviewLock(WorkflowLock):
    """While the committee reviews a disclosure its content is read-only for everybody.

    Wagtail's ``GroupApprovalTask`` lets reviewers (and superusers) edit during
    review, i.e. change the figures they approve; this lock refuses every edit.
    Reviewers still approve or request changes (which do not touch the content).
    """

    def for_user(self, user):
        return True

    def get_message(self, user):
        return format_html(
            "本公开内容正在「{}」中，审核期间内容只读，任何人都不能修改。"
            "审核人可以批准，或退回修改并说明理由；提交人或乡镇（街道）管理员可以撤回审核。",
            self.task.name,
        )

    def get_description(self, user, can_lock=False):
        return "审核期间内容只读"

    def get_locked_by(self, user, can_lock=False):
        return "审核中"

    def get_icon(self, user, can_lock=False):
        return "lock"


def cancellable_reviews(user):
    """(page, state) of every disclosure under review that ``user`` may withdraw.

    The dashboard lists these with a link to the cancel-review page: town admins
    have no page permissions, so this is where they find the reviews they oversee.
    """
    from django.contrib.contenttypes.models import ContentType

    from portal.pages.models import DisclosurePage

    if user is None or not user.is_authenticated:
        return []
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        content_type=ContentType.objects.get_for_model(DisclosurePage),
    ).select_related("requested_by")
    by_page = {int(state.object_id): state for state in states}
    pages = DisclosurePage.objects.filter(pk__in=by_page).select_related("region")
    rows = [
        (page, by_page[page.pk])
        for page in pages.order_by("region__code", "-latest_revision_created_at")
        if can_cancel_review(page, user, by_page[page.pk])
    ]
    return rows
