"""Public views of the disclosure area that are not pages: the compliance table.

The compliance table is computed from the catalog and the published pages on
every request (three queries), so it can never disagree with what is live; it is
a plain Django view because it belongs to no single page of the tree.
"""

from django.shortcuts import render
from django.utils import timezone

from portal.pages.disclosures import compliance


def compliance_view(request):
    today = timezone.localdate()
    subjects, items, entries = compliance.load_report(today=today, request=request)
    sections = compliance.matrix(subjects, items, entries)
    totals = compliance.SubjectSummary(subject=None)
    for section in sections:
        totals.counts.update(section.summary.counts)
    context = {
        "today": today,
        "sections": sections,
        "totals": totals,
        "statuses": [(key, compliance.STATUS_LABELS[key]) for key in compliance.STATUS_ORDER],
        "items": items,
        "recent": compliance.RECENT_PERIODS,
    }
    return render(request, "pages/disclosure_compliance.html", context)
