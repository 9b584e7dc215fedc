"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import everything from here
and override only what differs. Everything a deployment must change is read from
the environment so that one code base serves a town on SQLite and a county on
PostgreSQL + Elasticsearch.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    # project apps first so their templates and translations win
    "portal",
    "portal.pages",
    "portal.snippets",
    "portal.cases",
    "portal.care",
    "portal.field",
    "search",
    "imports",
    "portal.api",
    "portal.security",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    # third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.headers.SecurityHeadersMiddleware",
    "portal.security.errors.RejectNulParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.security.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.pages.context_processors.site_name",
                "portal.pages.context_processors.urgent_notices",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; a busy timeout instead of
    # "database is locked" errors under a background import.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Overrides of what Wagtail's zh_Hans catalogue lacks (locale/zh_Hans, compiled .mo committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# One time zone for a Chinese town: no list of 600 English zone names in account settings.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "基层治理门户")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "txt",
    "csv",
    "zip",
    "ofd",
    "wps",
]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# No ghost drafts: autosave would create pages (and revisions) the editor never saved.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Grids publish when their change workflow completes even if the last step was
# the rule auto-approving a routine edit; other models keep Wagtail's default.
WAGTAIL_FINISH_WORKFLOW_ACTION = "portal.snippets.workflow_finish.publish_workflow_state"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend with jieba segmentation on both sides (Chinese).
        "BACKEND": "search.wagtail_backend",
    }
}
# Unset: the Wagtail API builds detail_url and download links on the Site's root URL
# (admin → 设置 → 站点), never on the request's Host header nor a development default.
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL") or None
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_FINDERS = []  # no internet on a village intranet: no oEmbed lookups

# --- REST framework / OpenAPI ------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "基层治理门户 API",
    "DESCRIPTION": "通知公告、村务公开、网格台账、案件检索等公开接口。",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["portal.api.schema.only_portal_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.finish_schema",
    ],
}

# --- Background tasks (django-tasks, database backend: no extra server) -------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Email (notifications; sent by the task worker, see portal/notify.py) ----
# Console in development; production sets EMAIL_BACKEND to SMTP with the rest.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# --- Case photos (residents' and grid workers' reports) -----------------------
# Kept outside MEDIA_ROOT: a photo is private until staff mark it public, and it
# is served only by portal.cases.photo_views, which checks that.
CASE_PHOTO_ROOT = Path(os.environ.get("CASE_PHOTO_ROOT", VAR_DIR / "private" / "case-photos"))
CASE_PHOTO_MAX_BYTES = int(os.environ.get("CASE_PHOTO_MAX_BYTES", 8 * 1024 * 1024))
CASE_PHOTOS_PER_CASE = 3

# --- Privacy -----------------------------------------------------------------
# Master key for ID-number encryption (AES-256-GCM) and the keyed lookup hash
# (HMAC-SHA256); portal.snippets.pii derives one key for each from it with
# SHA-256. Derived from SECRET_KEY unless given, so dev works out of the box;
# production must set PII_KEY explicitly (see production.py).
PII_KEY = os.environ.get("PII_KEY", "")

# --- Imports -----------------------------------------------------------------
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024)
)
# Files with more rows than this are checked and imported by a background task
# (``manage.py db_worker`` must run); smaller ones inside the request.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", 5000))
# Seconds a dead worker's import job stays "busy" before it is shown as interrupted
# (the worker renews the lease every third of it; see imports/jobs.py).
IMPORT_JOB_LEASE_SECONDS = int(os.environ.get("IMPORT_JOB_LEASE_SECONDS", 90))
# Uploads between preview and confirmation, and error reports: never under MEDIA_ROOT.
IMPORT_PRIVATE_ROOT = Path(os.environ.get("IMPORT_PRIVATE_ROOT", VAR_DIR / "private" / "imports"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Search ------------------------------------------------------------------
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "embedded")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal")
ELASTICSEARCH_ANALYZER = os.environ.get("ELASTICSEARCH_ANALYZER", "cjk")

LOGIN_URL = "wagtailadmin_login"

# --- Hardening (portal/security) -----------------------------------------------
AUTHENTICATION_BACKENDS = ["portal.security.backends.LockoutModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.security.forms.LockoutLoginForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.security.documents.ContentCheckedDocumentForm"
# Every rate limit is a bucket of RATE_LIMITS ("N/period", None = unlimited); the
# buckets and their defaults are DEFAULT_RATE_LIMITS in portal/security/ratelimit.py,
# and a bucket set here overrides its default only. From the environment:
# RATE_LIMIT_<BUCKET>, e.g. RATE_LIMIT_SEARCH=60/m, RATE_LIMIT_CASE_REPORT_PHONE=off.
_RATE_LIMIT_OPTIONS = {
    "RATE_LIMIT_STORE",
    "RATE_LIMIT_REDIS_URL",
    "RATE_LIMIT_REDIS_PREFIX",
    "RATE_LIMIT_CLIENT_IP_HEADER",
    "RATE_LIMIT_RULES",
}
RATE_LIMITS = {
    name.removeprefix("RATE_LIMIT_").lower(): None if value.strip().lower() == "off" else value
    for name, value in os.environ.items()
    if name.startswith("RATE_LIMIT_") and name not in _RATE_LIMIT_OPTIONS and value.strip()
}
# Where the rate-limit and lockout counters live (portal/security/counters.py):
# Redis when REDIS_URL is set, else the database; both are atomic across workers.
RATE_LIMIT_REDIS_URL = os.environ.get("RATE_LIMIT_REDIS_URL") or os.environ.get("REDIS_URL", "")
RATE_LIMIT_STORE = os.environ.get("RATE_LIMIT_STORE") or (
    "redis" if RATE_LIMIT_REDIS_URL else "database"
)
RATE_LIMIT_CLIENT_IP_HEADER = os.environ.get("RATE_LIMIT_CLIENT_IP_HEADER") or None
LOGIN_LOCKOUT = {"failures": 5, "window": 15 * 60, "lock": 15 * 60}
# No internet at runtime: the admin must not call releases.wagtail.org (CSP blocks it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "portal": {"level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
        "search": {"level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
        "imports": {"level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
    },
}

# --- Page cache (portal/pagecache: anonymous public pages, rules in its docstring) ---
INSTALLED_APPS += ["portal.pagecache"]
# After rate limiting (limits apply to hits too), before sessions (a hit skips them).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "portal.pagecache.middleware.PageCacheMiddleware",
)
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", 600))
PAGE_CACHE_ALIAS = "pages"
# URL names (or dotted view paths for unnamed routes) whose anonymous GETs may be cached.
PAGE_CACHE_VIEWS = {
    "wagtail_serve",
    "sitemap",
    "robots_txt",
    "disclosure_compliance",
    "grids:finder",
    "grids:town",
    "grids:village",
    "grids:grid",
    "case_search",
    "site_search",
    "api-case-search",
    "api-regions",
    "api-grids",
    "api-grid",
    "api-case-stats",
    "api-case-stats-monthly",
    "api-disclosure-compliance",
    "wagtailapi:pages:listing",
    "wagtailapi:pages:detail",
    "wagtailapi:pages:find",
    *(
        f"open311-{name}-{fmt}"
        for name in ("discovery", "services", "service", "requests", "request")
        for fmt in ("json", "xml")
    ),
    # RSS/Atom feeds (portal/pages/feeds.py): pages only, so a publish refreshes them.
    *(
        f"feed_{name}{suffix}"
        for name in ("notices", "notices_category", "disclosures", "policies")
        for suffix in ("", "_atom")
    ),
}
# Cookies that may mean a signed-in visitor besides the session and messages cookies.
PAGE_CACHE_BYPASS_COOKIES = env_list("PAGE_CACHE_BYPASS_COOKIES")
# Cookies a public page's content depends on; their values enter the key.
PAGE_CACHE_KEY_COOKIES = env_list("PAGE_CACHE_KEY_COOKIES")
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-pages",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
if os.environ.get("REDIS_URL"):
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "pages",
    }

# --- Caching proxy in front (nginx/Varnish; README "缓存与前置代理") ------------
# Wagtail sends PURGE <path> to this address on publish/unpublish; the page
# cache adds the listings and the home page (portal/pagecache/frontend.py).
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }

# Office numbers published on purpose (e.g. "0376-6201234,12345"): the disclosure and
# notice leak check lets them through (portal/pages/disclosures/leaks.py). Grid staff's work
# phones pass without being listed here.
PORTAL_PUBLIC_PHONES = env_list("PORTAL_PUBLIC_PHONES")
