"""Wagtail document form that checks the uploaded file's content.

Hooked in with ``WAGTAILDOCS_DOCUMENT_FORM_BASE``, so the single and the
multiple upload views and the edit view all use it.
"""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from .filetypes import document_content_problem


class ContentCheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            problem = document_content_problem(upload.name, upload)
            if problem:
                raise forms.ValidationError(problem, code="content_mismatch")
        return upload
