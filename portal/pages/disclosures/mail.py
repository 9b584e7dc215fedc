"""Emails of the disclosure area: a question was asked; a disclosure awaits approval.

Sent through ``portal.notify`` (in the background, after the transaction commits).
The text names the disclosure and links to the admin; it never carries the
asker's phone or full name (an email may be forwarded), only the anonymised name.
"""

from django.conf import settings
from django.urls import reverse

from portal import notify


def admin_url(path):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + path


def question_asked(question):
    """Tell the village's committees that a villager asked about a disclosure."""
    from portal.pages.disclosures.questions import anonymise, answer_due_date, recipients_for_region

    return notify.notify_template(
        notify.user_addresses(recipients_for_region(question.region_id)),
        "disclosure_question_asked",
        {
            "question": question,
            "asker": anonymise(question.asker_name),
            "due": answer_due_date(question.asked_at),
            "link": admin_url(reverse("disclosure_questions_admin:detail", args=[question.pk])),
        },
    )


def approval_requested(task_state):
    """Tell the members of a review task's groups that a disclosure awaits their approval."""
    from django.contrib.auth import get_user_model

    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return []
    revision = task_state.revision
    page = revision.content_object if revision is not None else None
    if page is None:
        return []
    users = get_user_model().objects.filter(groups__in=groups.all()).distinct().order_by("pk")
    requester = task_state.workflow_state.requested_by
    return notify.notify_template(
        notify.user_addresses(users),
        "disclosure_awaiting_approval",
        {
            "page": page,
            "task": task,
            "requester": requester,
            "link": admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        },
    )


def on_task_submitted(sender, instance=None, **kwargs):
    """``task_submitted`` receiver: a disclosure entered its committee's review task."""
    from portal.pages.models import DisclosurePage

    if _is_disclosure(instance, DisclosurePage):
        approval_requested(instance)


def _is_disclosure(task_state, page_class):
    revision = getattr(task_state, "revision", None)
    return revision is not None and issubclass(
        revision.content_type.model_class() or object, page_class
    )


# Wagtail connects its group-approval submission mail under this id (wagtail.admin
# ``register_signal_handlers``); a receiver connected under the same id and sender
# takes its place, whichever app is ready first.
WAGTAIL_TASK_MAIL_UID = "group_approval_task_submitted_email_notification"


def _task_mail_except_disclosures():
    """Wagtail's own group-approval submission mail, for every page but a disclosure.

    A subclass of Wagtail's notifier class (``wagtail.admin.mail``), narrowed
    through its ``can_handle``; Wagtail's own instance is left untouched.
    """
    from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier

    from portal.pages.models import DisclosurePage

    class TaskMailExceptDisclosures(GroupApprovalTaskStateSubmissionEmailNotifier):
        def can_handle(self, instance, **kwargs):
            return super().can_handle(instance, **kwargs) and not _is_disclosure(
                instance, DisclosurePage
            )

    return TaskMailExceptDisclosures()


def connect():
    """Send the approval email in the background instead of Wagtail's own (synchronous) one.

    Wagtail's group-approval notifier mails the task's groups inside the request;
    for disclosures ours replaces it (grids keep Wagtail's), so a member gets one
    message, queued after the commit. Done with the public signal API only: the
    receiver Wagtail connects to ``task_submitted`` is replaced by the same
    notifier minus disclosures, and ``on_task_submitted`` sends ours.
    """
    from wagtail.models import TaskState
    from wagtail.signals import task_submitted

    task_submitted.disconnect(sender=TaskState, dispatch_uid=WAGTAIL_TASK_MAIL_UID)
    task_submitted.connect(
        _task_mail_except_disclosures(),
        sender=TaskState,
        weak=False,  # the signal holds the only reference to this notifier
        dispatch_uid=WAGTAIL_TASK_MAIL_UID,
    )
    task_submitted.connect(
        on_task_submitted, sender=TaskState, dispatch_uid="portal_disclosure_awaiting_approval"
    )
