"""Whole-response cache for anonymous public pages, shared by every worker.

Why not Django's ``UpdateCacheMiddleware``/``FetchFromCacheMiddleware``:

* it keys on every header the response lists in ``Vary``; our pages say
  ``Vary: Cookie`` (the session middleware adds it as soon as anything looks at
  ``request.user``), so each browser with any cookie gets its own copy and a
  phone with an analytics cookie never shares one;
* it happily stores a response whose body carries a CSRF token (Django only
  refuses when the token cookie is *set*, not when a form was rendered with the
  token of a cookie the visitor already had), which would hand one visitor's
  token to everyone;
* it never invalidates: a published notice stays invisible until the timeout.

The rules here (see ``middleware.py`` for the code, ``keys.py`` for the key):

1. Only ``GET``/``HEAD``, only views named in ``settings.PAGE_CACHE_VIEWS``
   (Wagtail's page serve, the grid finder, compliance, sitemap, public
   registers, Open311 reads, public search …), never the admin or staff APIs.
2. Never for a visitor who may be signed in: a session cookie, the messages
   cookie, any cookie named in ``PAGE_CACHE_BYPASS_COOKIES`` or an
   ``Authorization`` header sends the request straight to the view, and a
   cached page is never served to it.
3. Never stored: non-200 responses, streaming responses, responses that set a
   cookie, responses whose rendering asked for a CSRF token (or whose body holds
   ``csrfmiddlewaretoken``), ``Cache-Control: private/no-cache/no-store``
   (so Django's ``never_cache`` opts a view out), ``Vary: *``, and anything
   rendered for an authenticated user.
4. The key holds the scheme, host, full path *with* query string, the values of
   the request headers the response varies on (``Cookie`` excepted: rule 2 makes
   every request that reaches the cache equally anonymous; ``Accept-Language``
   reduced to the language Django would pick), today's local date (notices'
   pins, validity and disclosure compliance depend on "today" in
   ``TIME_ZONE``) and a site-wide *generation*.
5. The generation is a random token in the pages cache. ``invalidate()`` replaces
   it — at once and again when the surrounding transaction commits — so every
   stored page becomes unreachable in one write. ``signals.py`` calls it on
   page publish, unpublish, delete, move, slug change and view restrictions,
   and on saves and deletes of regions, grids, grid staff, the disclosure
   catalog, case categories, sites, documents and public cases. Bulk writers
   that bypass signals (the importer, ``QuerySet.update``) must call
   :func:`invalidate` themselves.
6. Entries also expire after ``PAGE_CACHE_TIMEOUT`` seconds, a safety net for
   aggregates (case statistics) that move with every new case and are not
   worth a site-wide invalidation each time.

Storage: ``CACHES["pages"]`` — Redis when ``REDIS_URL`` is set, else a file
cache under ``VAR_DIR`` in production (every worker on the machine shares it)
and process memory in development and tests.
"""

from .keys import invalidate

__all__ = ["invalidate"]
