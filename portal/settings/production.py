"""Production: refuses to start without the secrets it needs.

SECRET_KEY, ALLOWED_HOSTS and PII_KEY must come from the environment; DEBUG is
always off, cookies are secure and static files are served by WhiteNoise from
the collected, compressed and hashed copies.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置环境变量 ALLOWED_HOSTS（以逗号分隔的域名）")
PII_KEY = _required("PII_KEY")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cached public pages must be shared by all workers (and invalidated for all):
# without Redis, a file cache under VAR_DIR that every worker reads.
if not os.environ.get("REDIS_URL"):
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "pages"),  # noqa: F405
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

# Load jieba's dictionaries when the process starts (search/apps.py), so the
# first case search is as fast as the hundredth. gunicorn.conf.py also does it.
SEARCH_PRELOAD = env_bool("SEARCH_PRELOAD", True)
