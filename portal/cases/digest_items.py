"""Digest source of the case register: overdue cases assigned to the user or their unit.

"Their unit": a case dispatched to a unit by name (``handler_unit``) with no
person named, where the name is that of a region the user is assigned to (a
village committee, a town office named after its town). Overdue is
``portal.cases.queries.overdue_q``.
"""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from portal.cases.models import Case
from portal.cases.queries import overdue_q
from portal.digest import DigestLine, register


def _case_url(case):
    from portal.pages.disclosures.mail import admin_url

    try:
        return admin_url(reverse("cases_case_modeladmin_edit", args=[case.pk]))
    except NoReverseMatch:
        return ""


@register("cases", "您或本单位承办的逾期案件", order=30)
def overdue_cases(user, now):
    units = list(user.staff_regions.values_list("region__name", flat=True))
    mine = Q(handler=user) | Q(handler__isnull=True, handler_unit__in=units)
    qs = Case.objects.filter(overdue_q(now)).filter(mine).order_by("deadline", "id")
    lines = []
    for case in qs.only("pk", "number", "title", "deadline"):
        late = (now - case.deadline).days
        text = (
            f"{case.number}「{case.title}」，已超期 {late} 天"
            if late
            else (f"{case.number}「{case.title}」，今日超期")
        )
        lines.append(DigestLine(text, _case_url(case)))
    return lines
