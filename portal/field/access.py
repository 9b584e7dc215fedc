"""Who may use the grid worker's phone workspace (``/field/``), and the door check.

The same accounts as the admin: a user gets in when they may use the admin
(``wagtailadmin.access_admin``) *and* are assigned to at least one region
(``StaffRegion``) — the scope every list here is cut to
(``portal.snippets.scope``). A superuser without a region is refused too: the
workspace is for people working a patch of the map, and "everything" is not a
patch a phone page can list.

Anonymous visitors are sent to ``/field/login/``; a signed-in user who does not
qualify gets a Chinese 403 page (no hint of what lies behind it).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.template.response import TemplateResponse

LOGIN_URL = "/field/login/"


def field_refusal(user):
    """Why ``user`` may not use the workspace (a Chinese sentence), or None."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if not user.is_active:
        return "账号已停用"
    if not user.has_perm("wagtailadmin.access_admin"):
        return "网格员工作台仅供工作人员使用，您的账号没有工作人员权限"
    if not user.staff_regions.exists():
        return "您的账号尚未分配辖区，请联系管理员在“工作人员辖区”中分配后再使用"
    return None


def wants_json(request):
    """A request from the offline-draft sync script (it asks for JSON)."""
    return request.headers.get("X-Field-Sync") == "1"


def refused(request, message, status=403):
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "message": message},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return TemplateResponse(request, "field/refused.html", {"message": message}, status=status)


def field_staff_required(view):
    """Decorator: anonymous → the field login; not field staff → 403 in Chinese."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if wants_json(request):
                return refused(request, "登录已过期，请重新登录后再发送草稿", status=401)
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        refusal = field_refusal(user)
        if refusal:
            return refused(request, refusal)
        return view(request, *args, **kwargs)

    return wrapper
