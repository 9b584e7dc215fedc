"""Villagers' questions about a disclosure (村民询问) and the committee's answers.

The rules (the 10-day answer clock, who may see and answer, how a question is
accepted) live in ``portal.pages.disclosures.questions``; the model only stores.
The asker's name and phone are for the committee only: no public page, feed or
API reads them (the public list shows ``public_asker``, an anonymised name).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

NAME_MAX = 20
PHONE_MAX = 20
BODY_MAX = 500
ANSWER_MAX = 2000


class DisclosureQuestion(models.Model):
    page = models.ForeignKey(
        "pages.DisclosurePage",
        verbose_name="公开内容",
        on_delete=models.CASCADE,
        related_name="questions",
    )
    # Copied from the disclosure when asked: scope filters and counts need no join.
    region = models.ForeignKey(
        "snippets.Region",
        verbose_name="所属村（社区）",
        on_delete=models.PROTECT,
        related_name="disclosure_questions",
    )
    asker_name = models.CharField("询问人姓名", max_length=NAME_MAX)
    asker_phone = models.CharField("联系电话", max_length=PHONE_MAX)
    body = models.TextField("询问内容", max_length=BODY_MAX)
    asked_at = models.DateTimeField("询问时间", default=timezone.now, db_index=True)
    # sha256 of (disclosure, phone, normalised text): the same question twice is refused.
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    # What the public list shows as the question: the committee may reword it when it
    # answers (e.g. to drop a neighbour's name); empty means the text as asked.
    public_body = models.TextField("公开的询问内容", blank=True, max_length=BODY_MAX)
    answer = models.TextField("答复内容", blank=True, max_length=ANSWER_MAX)
    # Answered but not shown under the disclosure (unrelated, abusive or private matters):
    # the clock stops, the asker is called back, nothing goes public.
    shown_publicly = models.BooleanField("公开答复", default=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "村民询问"
        verbose_name_plural = "村民询问"
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["region", "answered_at", "asked_at"])]

    def __str__(self):
        return f"{self.page.title}：{self.body[:20]}"

    @property
    def answered(self):
        return self.answered_at is not None

    @property
    def due_date(self):
        from portal.pages.disclosures.questions import answer_due_date

        return answer_due_date(self.asked_at)

    def is_overdue(self, today=None):
        from portal.pages.disclosures.questions import is_overdue

        return is_overdue(self, today)

    @property
    def public_asker(self):
        from portal.pages.disclosures.questions import anonymise

        return anonymise(self.asker_name)
