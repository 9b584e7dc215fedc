"""``clean`` for page types whose rules are a plain function beside the model.

A page's rule (``notice_problems``, ``policy_problems``) returns field errors as
``{field: message}`` so that the importers, the demo loader and the tests can ask
it without a form; the admin reaches it through ``clean``.
"""

from django.core.exceptions import ValidationError


class FieldProblemsMixin:
    """``clean`` raises the errors ``field_problems`` finds (nothing when it finds none)."""

    def field_problems(self):
        raise NotImplementedError

    def clean(self):
        super().clean()
        problems = self.field_problems()
        if problems:
            raise ValidationError(problems)
