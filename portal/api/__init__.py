"""Open interfaces of the portal.

* ``/api/v2/`` — Wagtail's page/image/document API (``api_router``, built in
  ``wagtail_api``);
* ``/api/schema/``, ``/api/docs/`` — the OpenAPI 3 schema and offline docs;
* ``/api/registers/…`` — public registers as JSON;
* ``/open311/v2/…`` — Open311 GeoReport v2 for public cases;
* ``/api/staff/…`` — token-authenticated endpoints for staff scripts.

This package is also a Django app (``portal_api``: admin hooks, static files
of the docs page), so Django imports it before the app registry is ready; ``api_router`` is therefore
loaded lazily on first access (``from portal.api import api_router`` still works).
"""


def __getattr__(name):
    if name == "api_router":
        from .wagtail_api import api_router

        return api_router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
