"""Emails of the disclosure area: a question was asked; a disclosure awaits approval.

Sent through ``portal.notify`` (in the background, after the transaction commits).
The text names the disclosure and links to the admin; it never carries the
asker's phone (an email may be forwarded), only the anonymised name.
"""

from django.conf import settings
from django.urls import reverse


def _admin_url(path):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + path


def _send(recipients, subject, body):
    from portal import notify

    for user in recipients:
        notify.send_email(to=[user.email], subject=subject, body=body)


def question_asked(question):
    """Tell the village's committee members that a villager asked about a disclosure."""
    from portal.pages.disclosure_questions import anonymise, answer_due_date, recipients_for_region

    due = answer_due_date(question.asked_at)
    link = _admin_url(reverse("disclosure_questions_admin:detail", args=[question.pk]))
    subject = f"【村民询问】{question.page.title}"
    body = (
        f"{question.region.name}村民{anonymise(question.asker_name)}就公开内容"
        f"「{question.page.title}」提出询问：\n\n{question.body}\n\n"
        f"请于{due.year}年{due.month}月{due.day}日前答复（10日内）。\n"
        f"答复：{link}\n"
    )
    _send(recipients_for_region(question.region_id), subject, body)
