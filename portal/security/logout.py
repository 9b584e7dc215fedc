"""The admin logout view, fixed so that only a POST logs out.

Wagtail's ``LogoutView.dispatch`` calls Django's (which answers a GET with 405
and leaves the session alone), then unconditionally deletes the session cookie
and queues a "logged out" message, whatever the method. So a cross-site
``<img src="/admin/logout/">`` answered 405 yet logged the user out. Only a POST
(which carries the CSRF token) may do that; everything else gets Django's plain
answer with no side effect. ``portal.urls`` routes ``admin/logout/`` here,
ahead of Wagtail's admin URLs.
"""

from wagtail.admin.views.account import LogoutView as WagtailLogoutView


class PostOnlyLogoutView(WagtailLogoutView):
    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            # Django's LogoutView: 405 for GET, the Allow header for OPTIONS; no logout.
            return super(WagtailLogoutView, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
