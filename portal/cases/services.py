"""Case business rules: numbering, deadlines and state checks.

The lifecycle (``transition``) is added beside these; every caller — admin,
API, importer, tests — goes through this module.
"""

import datetime
import re

from django.db.models import Max
from django.utils import timezone

from .models import Case

CASE_NUMBER_RE = re.compile(r"^AJ(\d{4})(\d{6,})$")


def compute_deadline(category, reported_at):
    """Deadline = reported time + the category's deadline in days."""
    return reported_at + datetime.timedelta(days=category.deadline_days)


def format_case_number(year, sequence):
    return f"AJ{year}{sequence:06d}"


def next_case_number(year=None):
    """The next free number ``AJ<year><6-digit sequence>`` (imports may supply their own)."""
    year = year or timezone.localdate().year
    prefix = f"AJ{year}"
    last = Case.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = 1
    if last:
        match = CASE_NUMBER_RE.match(last)
        if match:
            sequence = int(match.group(2)) + 1
    return format_case_number(year, sequence)


def case_state_problems(status, resolution="", satisfaction="", closed_at=None):
    """Chinese descriptions of what a case in ``status`` is missing (empty when fine).

    Shared by the lifecycle and the importer, which accepts a status as given but
    not one the rules could never have produced.
    """
    problems = []
    if status in Case.CLOSED_STATUSES and not (resolution or "").strip():
        problems.append("已办结的案件必须填写处置结果")
    if status == Case.Status.RATED and not satisfaction:
        problems.append("已评价的案件必须填写满意度")
    if satisfaction and status not in (Case.Status.RATED, Case.Status.VISITED, Case.Status.CLOSED):
        problems.append("尚未办结的案件不能填写满意度")
    return problems
