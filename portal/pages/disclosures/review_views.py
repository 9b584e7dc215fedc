"""Admin view to withdraw a disclosure's review, for the submitter or a town admin.

Town admins hold no page permissions, so Wagtail's edit screen (where the
submitter finds 撤回审核) is closed to them; this small confirmation page is
their door. The rule itself is ``disclosure_review.cancel_review``.
"""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages

from portal.pages.disclosures import review
from portal.pages.models import DisclosurePage


def cancel_review_view(request, page_id):
    page = get_object_or_404(DisclosurePage, pk=page_id)
    state = review.review_in_progress(page)
    if state is None:
        messages.error(request, f"「{page.title}」当前不在审核中。")
        return redirect("wagtailadmin_home")
    if not review.can_cancel_review(page, request.user, state):
        messages.error(request, "只有提交人或乡镇（街道）管理员可以撤回审核。")
        return redirect("wagtailadmin_home")
    if request.method == "POST":
        review.cancel_review(page, request.user)
        messages.success(request, f"已撤回「{page.title}」的审核。")
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request, "pages/disclosure_cancel_review.html", {"page": page, "state": state}
    )
