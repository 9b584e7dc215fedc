"""Security headers Django 5.2 does not set by itself: Content-Security-Policy and
Permissions-Policy.

Django's SecurityMiddleware already sends nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and (in production) HSTS, and XFrameOptionsMiddleware
sends X-Frame-Options; this middleware adds the rest.

Why not a library: Django 5.2 has no CSP support (6.0 adds
``django.middleware.csp.ContentSecurityPolicyMiddleware`` with ``SECURE_CSP``;
move to it with the Django upgrade). django-csp does CSP for 5.2, but it sends
one site-wide policy and changes it per view with decorators (``@csp_update``,
``@csp_replace``); the admin's policy here must cover every view of Wagtail's
own admin URLconf, which this project does not own and cannot decorate, and
django-csp's per-path setting (``EXCLUDE_URL_PREFIXES``) drops the header there
rather than sending a second policy. Three policies chosen by path prefix would
take a subclass of its middleware doing what the twenty lines below do, plus a
dependency.

Two policies:

* the public site gets a strict one — no inline script, no inline style, nothing
  from another origin, never framed;
* the Wagtail admin (``/admin/``) gets a compatible one: Wagtail 8's own admin
  templates still contain inline ``<script>`` blocks (date/time widgets, inline
  panels) and set inline styles from its JavaScript, so ``'unsafe-inline'`` is
  allowed there for scripts and styles, and ``frame-ancestors 'self'`` lets the
  admin show page previews in its own iframe. Everything else stays same-origin.
"""

from django.conf import settings

PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "frame-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
# The offline API docs (Swagger UI) render with React, which sets style attributes
# while it draws; scripts stay strictly same-origin.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def csp_for_path(path):
    """The Content-Security-Policy for a request path (settings may override each)."""
    admin_prefixes = getattr(settings, "SECURITY_CSP_ADMIN_PREFIXES", ("/admin/",))
    if path.startswith(tuple(admin_prefixes)):
        return getattr(settings, "SECURITY_CSP_ADMIN", ADMIN_CSP)
    if path.startswith("/api/docs/"):
        return getattr(settings, "SECURITY_CSP_DOCS", DOCS_CSP)
    return getattr(settings, "SECURITY_CSP_PUBLIC", PUBLIC_CSP)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "SECURITY_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header not in response:
            response[header] = csp_for_path(request.path)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = getattr(
                settings, "SECURITY_PERMISSIONS_POLICY", PERMISSIONS_POLICY
            )
        return response
