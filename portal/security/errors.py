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
from html import escape

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


class RejectNulParametersMiddleware:
    """400 for a query parameter holding NUL: PostgreSQL text cannot store it (a 500
    deep in any filter), and no legitimate link carries one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return bad_request_response(request, name.replace("\x00", ""))
        return self.get_response(request)


def bad_request_response(request, name):
    message = f"参数 {name} 含有不允许的空字符（NUL）"
    fmt = response_format(getattr(request, "path", "") or "")
    if fmt == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f"<errors><error><code>400</code><description>{escape(xml_safe(message))}"
            "</description></error></errors>"
        )
        return HttpResponse(body, status=400, content_type="text/xml; charset=utf-8")
    if fmt == "json":
        path = request.path
        data = (
            [{"code": 400, "description": message}]
            if path.startswith("/open311/")
            else {name: [message]}
        )
        return HttpResponse(
            json.dumps(data, ensure_ascii=False),
            status=400,
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(escape(message), status=400, content_type="text/plain; charset=utf-8")
