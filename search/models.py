"""Models of the search app: the synonym list admins edit in the Wagtail admin.

The case index itself is not a Django model: it is an FTS5 virtual table on
SQLite or a side table with a tsvector column on PostgreSQL, created by this
app's migrations and written by ``search.backends.embedded``.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from . import analysis

TERM_SEPARATORS_RE = re.compile(r"[\s,，、;；=＝|/]+")
MAX_TERM_LENGTH = 20


def split_terms(line):
    """The distinct terms of one synonym line, in the order written."""
    terms = []
    for term in TERM_SEPARATORS_RE.split(line or ""):
        term = term.strip()
        if term and term not in terms:
            terms.append(term)
    return terms


class SynonymGroup(models.Model):
    """One line of words that mean the same thing to someone searching cases.

    Applied when a query is parsed (a word expands to any of its group), so an
    edit takes effect at once without re-indexing anything.
    """

    terms = models.CharField(
        "同义词",
        max_length=500,
        help_text="一行写一组意思相同的词，用空格、逗号、顿号或等号分隔，例如：欠薪 = 拖欠工资 = 工资拖欠",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["terms"]

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        return split_terms(self.terms)

    def clean(self):
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": "一组同义词至少要有两个词，请用空格、逗号或等号分隔。"})
        for term in terms:
            if len(term) > MAX_TERM_LENGTH:
                raise ValidationError(
                    {"terms": f"“{term[:30]}”太长：每个词不能超过{MAX_TERM_LENGTH}个字。"}
                )
            if not analysis.index_tokens(term):
                raise ValidationError({"terms": f"“{term}”不含可检索的文字（只有标点或虚词）。"})
        # Store one canonical spelling so the list reads the same everywhere.
        self.terms = " = ".join(terms)
