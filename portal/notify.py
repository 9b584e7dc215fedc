"""Email to people, sent in the background and only once the change is committed.

Every notification in the portal (a disclosure awaiting approval, a question
asked, a case dispatched or overdue, a resident's case changing, a visit
overdue) goes through ``notify``: the request never waits for a mail server,
and a rolled-back change sends nothing, because the task is enqueued from
``transaction.on_commit``. The task runs on the django-tasks worker
(``manage.py db_worker``); tests use the immediate backend, so with
``django_capture_on_commit_callbacks(execute=True)`` the mail lands in
``django.core.mail.outbox``.

Messages are rendered from ``templates/notify/<name>.txt``: the first line is
the subject, the rest the body (plain text: many recipients read mail on old
phones).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【基层治理门户】"
MAX_SUBJECT = 120


@task()
def send_email(recipients, subject, body):
    """Send one message; the worker records a failure (and its traceback) on the task."""
    return send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients), fail_silently=False
    )


def clean_recipients(addresses):
    """Distinct, non-empty addresses in a stable order (a header must not carry newlines)."""
    seen = []
    for address in addresses:
        address = (address or "").strip()
        if address and "\n" not in address and "\r" not in address and address not in seen:
            seen.append(address)
    return seen


def notify(addresses, subject, body):
    """Queue ``subject``/``body`` to ``addresses`` once the current transaction commits.

    Returns the recipients actually queued (empty: nothing to send).
    """
    recipients = clean_recipients(addresses)
    if not recipients:
        return []
    subject = " ".join(subject.split())
    subject = (SUBJECT_PREFIX + subject)[:MAX_SUBJECT]
    transaction.on_commit(lambda: send_email.enqueue(recipients, subject, body))
    return recipients


def render_message(template_name, context):
    """(subject, body) from ``notify/<template_name>.txt``: first line subject, rest body."""
    text = render_to_string(f"notify/{template_name}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def notify_template(addresses, template_name, context):
    """``notify`` with a message rendered from a template."""
    subject, body = render_message(template_name, context)
    return notify(addresses, subject, body)


def user_addresses(users):
    """Email addresses of active users who have one."""
    return [u.email for u in users if getattr(u, "is_active", False) and u.email]
