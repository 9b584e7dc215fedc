"""Private storage for uploads waiting between preview and confirmation, and error reports.

Uploaded rosters hold ID numbers and phones, so they are kept outside
``MEDIA_ROOT`` (nothing under it may be served by a URL) in
``settings.IMPORT_PRIVATE_ROOT`` (default ``var/private/imports``), reached only
through the admin views that check who is asking, and deleted as soon as the
job no longer needs them.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root():
    root = getattr(settings, "IMPORT_PRIVATE_ROOT", None) or (
        Path(settings.VAR_DIR) / "private" / "imports"
    )
    return Path(root)


def private_storage():
    root = private_root()
    root.mkdir(parents=True, exist_ok=True)
    # base_url=None: this storage has no public URL.
    return FileSystemStorage(location=str(root), base_url=None, file_permissions_mode=0o600)


def save_upload(uploaded_file, suffix):
    """Store an uploaded file under a random name; return its storage name."""
    name = f"uploads/{uuid.uuid4().hex}{suffix}"
    return private_storage().save(name, uploaded_file)


def save_path(source_path, suffix):
    name = f"uploads/{uuid.uuid4().hex}{suffix}"
    with open(source_path, "rb") as fh:
        return private_storage().save(name, fh)


def path_of(name):
    return Path(private_storage().path(name))


def report_name():
    return f"reports/{uuid.uuid4().hex}.xlsx"


def delete(name):
    if name:
        private_storage().delete(name)
