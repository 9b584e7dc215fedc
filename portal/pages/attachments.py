"""Attachments (Wagtail documents) shown on notices, policies and disclosures.

A village office copies files around by hand; a document row can outlive its
file on disk. Wagtail's ``Document.file.size`` then raises, which would turn a
notice into a server error. ``attachment_rows`` reads every attachment
defensively so the page still renders and marks the missing file instead.
"""

import os
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.db import models
from django.template.defaultfilters import filesizeformat
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class PageAttachment(Orderable):
    """A document attached to a page; a subclass adds ``page``, the ParentalKey to its page."""

    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "附件"
        verbose_name_plural = "附件"


@dataclass(frozen=True)
class AttachmentRow:
    title: str
    url: str
    extension: str
    size: int | None
    available: bool

    @property
    def size_label(self):
        return filesizeformat(self.size) if self.size is not None else ""


def _file_available(document):
    try:
        return bool(document.file.name) and document.file.storage.exists(document.file.name)
    except Exception:  # any storage failure means "not available"
        return False


def _file_size(document, available):
    if document.file_size is not None:
        return document.file_size
    if not available:
        return None
    try:
        return document.file.size
    except Exception:  # size is decoration; never fail the page for it
        return None


def attachment_rows(attachments):
    """Rows for a page's ``attachments`` relation (a manager or any iterable of attachments)."""
    if hasattr(attachments, "all"):
        attachments = attachments.all()
    if hasattr(attachments, "select_related"):
        attachments = attachments.select_related("document")
    rows = []
    for attachment in attachments:
        document = attachment.document
        available = _file_available(document)
        try:
            extension = document.file_extension.lower()
        except Exception:
            extension = ""
        rows.append(
            AttachmentRow(
                title=attachment.title or document.title,
                url=document.url,
                extension=extension,
                size=_file_size(document, available),
                available=available,
            )
        )
    return rows


# --- download names ---------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\"]+')


def download_name(document):
    """The name a downloaded file should keep: the uploaded name, not the stored one.

    Storage renames files on collision (``合同_Ab3dE9x.xlsx``) and Wagtail serves
    that stored name; the document's title is the uploaded name without its
    extension (Wagtail fills it in on upload, the clerk may edit it). So the
    title plus the stored file's extension, with path and control characters
    removed, is what a villager should see in their downloads folder.
    """
    extension = os.path.splitext(document.filename)[1].lower()
    title = _UNSAFE_IN_NAME.sub(" ", document.title or "").strip(" .")
    if not title:
        return document.filename
    if extension and title.lower().endswith(extension):
        return title
    return f"{title}{extension}"


def content_disposition(disposition, filename):
    """``attachment``/``inline`` with an ASCII fallback and the RFC 5987 ``filename*``."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip() or "download"
    if not ascii_name.lower().endswith(os.path.splitext(filename)[1].lower()):
        ascii_name += os.path.splitext(filename)[1]
    ascii_name = ascii_name.replace("\\", "").replace('"', "")
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (privacy, passwords, ETag), answering with the original name."""
    from wagtail.documents import get_document_model
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    current = response.get("Content-Disposition")
    if current:
        document = get_document_model().objects.get(id=document_id)
        disposition = "inline" if current.startswith("inline") else "attachment"
        response["Content-Disposition"] = content_disposition(disposition, download_name(document))
    return response
