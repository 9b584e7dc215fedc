"""Photos on cases: checked by content, re-encoded, EXIF stripped, private by default.

A phone photo carries the place it was taken (GPS), the device and often the
owner's name in its EXIF block; a resident reporting a neighbour's dispute must
not publish where they live. So an upload is never stored as sent: it is opened
by Pillow (which refuses anything that is not a real image — an HTML page or a
script renamed ``.jpg`` fails here), turned upright from its EXIF orientation,
scaled down to ``MAX_EDGE`` and written out again as a fresh JPEG with no
metadata at all. The original bytes are discarded.

``attach_photos`` is the one door for every channel (the resident's form, the
grid worker's phone, the admin): it checks all files before it stores any, so a
bad third photo leaves nothing half-attached.
"""

import hashlib
import io
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import CasePhoto

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "MPO": "JPEG"}
MAX_EDGE = 1600
# A decompression bomb (a tiny file that decodes to gigapixels) is refused
# before it is decoded: phones take at most ~50 megapixels.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 82
# Names looked up per query when pruning (below every database's parameter limit).
PRUNE_BATCH = 500


class PhotoError(ValidationError):
    """A photo that cannot be accepted, with the reason in Chinese."""


def _label(name, index):
    return f"第 {index} 张照片（{name}）" if name else f"第 {index} 张照片"


def clean_photo(upload, index=1):
    """(jpeg_bytes, width, height) for ``upload``, or ``PhotoError`` saying why not."""
    name = getattr(upload, "name", "") or ""
    label = _label(name, index)
    size = getattr(upload, "size", None)
    limit = settings.CASE_PHOTO_MAX_BYTES
    if size is not None and size > limit:
        raise PhotoError(f"{label}超过 {limit // (1024 * 1024)} MB，请压缩后再上传")
    upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise PhotoError(f"{label}超过 {limit // (1024 * 1024)} MB，请压缩后再上传")
    if not raw:
        raise PhotoError(f"{label}是空文件")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format
                if kind not in ACCEPTED_FORMATS:
                    raise PhotoError(f"{label}不是 JPG、PNG、WebP 或 GIF 图片")
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError(f"{label}像素过大，无法处理")
                probe.seek(0)
                image = ImageOps.exif_transpose(probe)
                image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"{label}不是可识别的图片") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise PhotoError(f"{label}已损坏，无法读取") from None
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), image.width, image.height


def clean_photos(uploads):
    """Clean every upload first; refuse all of them if any one is bad or they are too many."""
    uploads = [u for u in uploads if u]
    limit = settings.CASE_PHOTOS_PER_CASE
    if len(uploads) > limit:
        raise PhotoError(f"最多上传 {limit} 张照片")
    return [clean_photo(upload, index) for index, upload in enumerate(uploads, start=1)]


def attach_photos(case, uploads, *, user=None, public=False):
    """Store cleaned ``uploads`` on ``case``; returns the new ``CasePhoto`` rows.

    The same picture sent twice (a resent form) is stored once. The total per
    case stays within ``CASE_PHOTOS_PER_CASE``. The files are written before the
    transaction commits (the row needs the name storage chose); if it rolls back
    they stay behind with no row, never served, until ``prune_orphan_photos``
    (``manage.py prune_import_files``) removes them.
    """
    cleaned = clean_photos(uploads)
    if not cleaned:
        return []
    with transaction.atomic():
        existing = set(case.photos.values_list("sha256", flat=True))
        fresh = []
        for data, width, height in cleaned:
            digest = hashlib.sha256(data).hexdigest()
            if digest in existing:
                continue
            existing.add(digest)
            fresh.append((data, width, height, digest))
        if len(existing) > settings.CASE_PHOTOS_PER_CASE:
            raise PhotoError(f"每个案件最多 {settings.CASE_PHOTOS_PER_CASE} 张照片")
        photos = []
        for data, width, height, digest in fresh:
            photo = CasePhoto(
                case=case,
                width=width,
                height=height,
                sha256=digest,
                is_public=public,
                uploaded_by=user if user is not None and user.is_authenticated else None,
            )
            photo.image.save(f"{case.number}-{digest[:12]}.jpg", ContentFile(data), save=False)
            photo.save()
            photos.append(photo)
    return photos


def prune_orphan_photos(min_age_seconds=3600):
    """Delete files under ``CASE_PHOTO_ROOT`` that no ``CasePhoto`` row names; returns how many.

    Such a file is left by a transaction that rolled back after ``attach_photos``
    wrote it. Files younger than ``min_age_seconds`` are spared: their
    transaction may still be open.
    """
    root = Path(settings.CASE_PHOTO_ROOT)
    if not root.is_dir():
        return 0
    cutoff = time.time() - min_age_seconds
    candidates = {
        path.relative_to(root).as_posix(): path
        for path in root.rglob("*")
        if path.is_file() and path.stat().st_mtime <= cutoff
    }
    names = sorted(candidates)
    count = 0
    for start in range(0, len(names), PRUNE_BATCH):
        batch = names[start : start + PRUNE_BATCH]
        named = set(CasePhoto.objects.filter(image__in=batch).values_list("image", flat=True))
        for name in batch:
            if name not in named:
                candidates[name].unlink(missing_ok=True)
                count += 1
    return count


def photo_visible_to(photo, user):
    """Whether ``user`` (anonymous included) may see ``photo``."""
    case = photo.case
    if photo.is_public and case.is_public:
        return True
    if user is None or not user.is_authenticated:
        return False
    from .panels import scoped_cases, user_may_see_cases

    return user_may_see_cases(user) and scoped_cases(user).filter(pk=case.pk).exists()
