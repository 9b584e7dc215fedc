"""Test settings: fast hashing, isolated media, tasks run immediately.

DATABASE_URL is honoured (``make test-postgres`` points it at PostgreSQL);
without it pytest-django uses an in-memory SQLite test database.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PII_KEY = "test-pii-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
# WhiteNoise warns on every request when STATIC_ROOT is missing; tests never collect.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# The per-address limits on paths and Open311 writes are off for the suite (the
# other buckets keep their defaults); tests set small limits where they test them.
RATE_LIMITS = {"search": None, "api": None, "login": None, "open311_write": None}
CASE_PHOTO_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-photos-"))
# Import uploads and error reports: one folder per test process (pytest-xdist runs several),
# never the development server's var/private/imports; a worker process a test starts is
# handed the test's folder in the environment.
IMPORT_PRIVATE_ROOT = Path(
    os.environ.get("IMPORT_PRIVATE_ROOT") or tempfile.mkdtemp(prefix="portal-test-imports-")
)
