"""Settings for bench/bench_load.py only: the production stack without TLS, on
loopback, with rate limits off and a benchmark-only URL (see load_urls.py).

Never used by the site itself; portal/urls.py knows nothing of the bare view.
"""

from portal.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-for-any-real-deployment-0123456789"
PII_KEY = "bench-only-pii-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "load_urls"
RATE_LIMITS = {"search": None, "api": None, "login": None}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
# Serve static files straight from the apps (no collectstatic step for a throwaway run).
WHITENOISE_USE_FINDERS = True

# Page cache as in production without Redis: a file cache every worker shares.
# Requests carrying the ``bench_nocache`` cookie bypass it (the uncached figures).
CACHES["pages"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(VAR_DIR / "cache" / "pages"),  # noqa: F405
}
PAGE_CACHE_BYPASS_COOKIES = ["bench_nocache"]
