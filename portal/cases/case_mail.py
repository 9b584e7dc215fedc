"""Emails about cases, sent through ``portal.notify`` (background, after commit).

* the handler (the user a case is dispatched to; a handling *unit* is free text
  here, not a group of users, so there is no one else to write to) when a case
  is dispatched to them (分拨, and 改派 to someone new);
* the resident, if they left an email on the report form, when their case is
  received and whenever its status changes — a public-safe message: the case
  number, the step and its date, never the query code, staff names or notes.

Overdue reminders are the daily digest's business (``send_overdue_digest``).
"""

from django.conf import settings

from portal.notify import notify_template, user_addresses

from .models import CaseEvent
from .tracking import PUBLIC_STEP_TEXT, public_step


def _site_url():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def report_received(case):
    """Tell the resident their report was registered (number only, never the code)."""
    if not case.reporter_email:
        return []
    return notify_template(
        [case.reporter_email],
        "case_received",
        {"case": case, "site_url": _site_url()},
    )


def case_event_happened(case, event):
    """Send what ``event`` (just recorded on ``case``) calls for; returns the recipients."""
    sent = []
    if event.action == CaseEvent.Action.DISPATCH and case.handler_id:
        handler = case.handler
        sent += notify_template(
            user_addresses([handler]),
            "case_dispatched",
            {"case": case, "event": event, "handler": handler, "site_url": _site_url()},
        )
    if case.reporter_email and event.from_status != event.to_status:
        step = public_step(event, case, include_resolution=False)
        text = step.text if step else PUBLIC_STEP_TEXT.get(event.action, "")
        sent += notify_template(
            [case.reporter_email],
            "case_status_changed",
            {"case": case, "event": event, "step_text": text, "site_url": _site_url()},
        )
    return sent
