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


class IndexOutbox(models.Model):
    """One case change the Elasticsearch cluster has not taken yet.

    Written by ``search.indexing`` in the same transaction as the case write, so
    a change is recorded exactly when it commits; drained by the
    ``drain_search_outbox`` task (and ``manage.py replay_search_outbox``), which
    deletes a row only once the cluster has accepted it. A row names the case
    only: the drain sends the case as it is then (or removes it when it is
    gone), so replaying a row twice is harmless. Only written when
    Elasticsearch is configured: the embedded index is written in the case's
    own transaction and needs no outbox.
    """

    case_id = models.BigIntegerField("案件ID", db_index=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "待同步索引"
        verbose_name_plural = "待同步索引"
        ordering = ["id"]

    def __str__(self):
        return f"案件 {self.case_id}（尝试 {self.attempts} 次）"
