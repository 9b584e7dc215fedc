"""Wagtail admin hooks of the pages app; each content area keeps its own hooks module."""

from django.http import JsonResponse  # noqa: E402
from wagtail import hooks  # noqa: E402

from portal.pages.disclosures import hooks as disclosure_hooks  # noqa: F401  (registers the disclosure hooks)


@hooks.register("before_create_page")
def refuse_autosave_on_create(request, parent_page, page_class):
    """No ghost drafts: a background (JSON) save never creates a page the editor did not save.

    ``WAGTAIL_AUTOSAVE_INTERVAL = 0`` turns the browser's autosave off; this also
    refuses a stale tab or script that still posts one.
    """
    if request.method == "POST" and not request.accepts("text/html"):
        return JsonResponse(
            {
                "success": False,
                "error_code": "autosave_disabled",
                "error_message": "新建页面不会自动保存，请点击“保存草稿”。",
            },
            status=400,
        )
    return None
