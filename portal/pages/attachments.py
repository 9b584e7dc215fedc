"""Attachments (Wagtail documents) shown on notices, policies and disclosures.

A village office copies files around by hand; a document row can outlive its
file on disk. Wagtail's ``Document.file.size`` then raises, which would turn a
notice into a server error. ``attachment_rows`` reads every attachment
defensively so the page still renders and marks the missing file instead.
"""

from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat


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
