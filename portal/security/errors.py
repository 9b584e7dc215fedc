"""Error responses in the format the client asked for, and 503 when the database is down.

Django's ``handler500`` is called for every uncaught exception, from a view or
from any middleware, inside the ``except`` block that caught it, so
``sys.exc_info()`` still names the exception. That is the one place that sees
them all (a middleware's ``process_exception`` sees only view exceptions, not a
session or auth middleware that could not reach the database), so the choice
of status and format lives here:

* a database that cannot be reached (``OperationalError``/``InterfaceError``) →
  503 with ``Retry-After``; anything else → 500;
* ``/api/…`` → JSON ``{"detail": …}``; ``/open311/….xml`` → GeoReport XML
  errors; other ``/open311/`` paths → GeoReport JSON errors; everything else →
  the Chinese HTML page.

The bodies are built without the database, the template context processors or
the page tree, which may be what failed.
"""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from .xmltext import xml_safe

RETRY_AFTER_SECONDS = 30
MESSAGES = {
    404: "没有这个接口地址。",
    500: "服务器内部错误，请稍后再试。",
    503: "服务暂时不可用（数据库无法连接），请稍后再试。",
}
DATABASE_ERRORS = (OperationalError, InterfaceError)


def response_format(path):
    """``json``, ``xml`` or ``html`` for a request path."""
    if path.startswith("/open311/"):
        return "xml" if path.endswith(".xml") else "json"
    if path.startswith("/api/"):
        return "json"
    return "html"


def is_database_outage(exc):
    return isinstance(exc, DATABASE_ERRORS)


def error_response(request, status):
    """The 500/503 body for ``request``'s path, in Chinese, never touching the database."""
    message = MESSAGES[status]
    path = getattr(request, "path", "") or ""
    fmt = response_format(path)
    if fmt == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f"<errors><error><code>{status}</code>"
            f"<description>{xml_safe(message)}</description></error></errors>"
        )
        response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    elif fmt == "json":
        if path.startswith("/open311/"):
            data = [{"code": status, "description": message}]
        else:
            data = {"detail": message}
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    else:
        template = "503.html" if status == 503 else "500.html"
        # A bare template render: no RequestContext, no context processors.
        response = HttpResponse(loader.get_template(template).render({}), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found_response(request):
    """404 for an unknown ``/api/`` or ``/open311/`` address, in the path's format."""
    return error_response(request, 404)


def server_error(request):
    """``handler500``: 503 for a database outage, 500 otherwise, by path format."""
    exc = sys.exc_info()[1]
    status = 503 if is_database_outage(exc) else 500
    return error_response(request, status)
