"""URL routes of this app, included from portal.urls.

The import/export pages live in the Wagtail admin (see ``admin_urls`` and
``wagtail_hooks``); nothing of this app is public.
"""

urlpatterns = []
