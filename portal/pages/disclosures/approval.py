"""Who approved a disclosure, read from Wagtail's own workflow records.

Wagtail already records every moderation step (``TaskState``: who finished it,
when, with what status), so the portal does not keep an approval table of its
own; it reads the committee's approval of the revision that is live now (an
older approval does not vouch for later changes, see ``disclosure_review``).
"""

from dataclasses import dataclass
from datetime import datetime

from portal.pages.disclosures.review import live_review


@dataclass(frozen=True)
class ApprovalRecord:
    approver_name: str
    approved_at: datetime
    task_name: str
    comment: str


def display_name(user):
    """A user's name as printed on the board: full name if known, else the login name."""
    if user is None:
        return "（账号已删除）"
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()


def approval_record(page):
    """The committee's approval of ``page``'s live revision (None if it has none)."""
    if page.pk is None:
        return None
    state, _ = live_review(page)
    if state is None:
        return None
    return ApprovalRecord(
        approver_name=display_name(state.finished_by),
        approved_at=state.finished_at,
        task_name=state.task.name,
        comment=state.comment or "",
    )
