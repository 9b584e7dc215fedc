"""Reusable case querysets: overdue cases and the overdue flag.

A case is overdue when its deadline has passed and it has not reached 办结
(closed, visited or rated). A case closed late is *not* overdue any more: the
flag is about work still waiting, which is what lists and dashboards warn of.
"""

from django.db.models import BooleanField, Q, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone

from .models import Case

OVERDUE_FLAG = "overdue_flag"


def overdue_q(now=None):
    """The ``Q`` object selecting overdue cases at ``now`` (default: the current time)."""
    now = now or timezone.now()
    return Q(deadline__lt=now) & ~Q(status__in=Case.CLOSED_STATUSES)


def overdue(qs, now=None):
    """Only the overdue cases of ``qs``."""
    return qs.filter(overdue_q(now))


def not_overdue(qs, now=None):
    """The cases of ``qs`` that are not overdue (closed, or still within their deadline)."""
    return qs.exclude(overdue_q(now))


def annotate_overdue(qs, now=None):
    """Add a boolean ``overdue_flag`` column computed by the database.

    Lists sort and render the flag without one query per row; the model's
    ``is_overdue`` property gives the same answer for a single loaded case.
    """
    return qs.annotate(
        **{
            OVERDUE_FLAG: SqlCase(
                When(overdue_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        }
    )
