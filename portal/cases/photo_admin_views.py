"""Staff mark a case photo public (or private again) from the case's admin page.

A photo leaves the server publicly only when both it and its case are public
(``photos.photo_visible_to``); this is the one switch for the photo half. Only
users who may change cases, for a case in their regions; POST only, CSRF
protected, back to the case page with a message.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from portal.snippets.scope import region_in_scope

from .models import CasePhoto


@login_required
@require_POST
def set_photo_public(request, pk):
    photo = CasePhoto.objects.select_related("case").filter(pk=pk).first()
    user = request.user
    if (
        photo is None
        or not user.has_perm("cases.change_case")
        or not region_in_scope(user, photo.case.village_id)
    ):
        raise Http404("照片不存在")
    public = request.POST.get("public") == "1"
    if photo.is_public != public:
        photo.is_public = public
        photo.save(update_fields=["is_public"])
        log(instance=photo.case, action="wagtail.edit", user=user, content_changed=False)
    case = photo.case
    if public:
        note = "" if case.is_public else "（案件本身尚未公开，公开后照片才会在网站上显示）"
        messages.success(request, f"照片已设为公开{note}")
    else:
        messages.success(request, "照片已设为不公开")
    return redirect(f"/admin/cases/case/inspect/{case.pk}/")
