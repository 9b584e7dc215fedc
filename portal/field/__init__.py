"""The grid worker's phone workspace at ``/field/`` (issue 13).

Pages: 我的网格 (grids in the user's regions with open/overdue cases, visits
due, today's round), 我的案件 (overdue first; the allowed next steps through
``portal.cases.services.transition`` with the admin's stale-click guard),
上报事件 (``create_case_once`` keyed by the form's client token, photos through
``portal.cases.photos.attach_photos``), 今日走访 and 巡查 (``portal.care.services``).
Same accounts and lockout as the admin (``auth_views``); who gets in is
``access.field_refusal``. No models.

Offline: ``static/field/offline.js`` keeps a report or visit typed without a
connection in IndexedDB (fields, photos as blobs, the client token) and sends
it when the connection returns, asking ``/field/sync/token/`` for a fresh CSRF
token first; the server answers a resend of the same token with the record the
first one made. ``static/field/sw.js``, served as ``/field/sw.js`` (scope
``/field/``), keeps the pages already opened and the workspace's CSS/JS so the
forms open offline; it never touches a POST and calls no other site.
"""
