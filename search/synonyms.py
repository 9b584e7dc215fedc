"""The synonym table used when parsing queries, cached and invalidated on edit.

The table maps every normalised term to all the terms of the groups it belongs
to. It is small (hundreds of lines) and read on every search, so it lives in
Django's cache; saving or deleting a ``SynonymGroup`` drops the cached copy
(wired in ``apps.py``, because bulk deletes in the admin bypass
``Model.delete``).
"""

from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from . import analysis
from .models import SynonymGroup, split_terms

CACHE_KEY = "portal_search:synonym_table:v1"
CACHE_SECONDS = 3600

# The starting set shipped with the portal (loaded by a data migration and by
# the demo loader; admins extend it in the admin under 搜索同义词).
STARTER_SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "starter_synonyms.txt"


def starter_synonyms():
    text = STARTER_SYNONYMS_PATH.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def build_table(lines):
    """``{normalised term: tuple of all terms it is synonymous with (itself included)}``."""
    groups = {}
    for line in lines:
        terms = [analysis.normalize(t) for t in split_terms(line)]
        terms = [t for t in terms if t]
        if len(terms) < 2:
            continue
        for term in terms:
            merged = groups.setdefault(term, [])
            for other in terms:
                if other not in merged:
                    merged.append(other)
    return {term: tuple(members) for term, members in groups.items()}


def get_synonym_table():
    table = cache.get(CACHE_KEY)
    if table is None:
        table = build_table(SynonymGroup.objects.values_list("terms", flat=True))
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def invalidate():
    """Forget the cached table now and again after the surrounding transaction commits
    (so a reader cannot re-cache the old rows in between)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def ensure_starter_synonyms():
    """Add each starter line whose first term is not yet in any group (idempotent)."""
    existing = build_table(SynonymGroup.objects.values_list("terms", flat=True))
    created = 0
    for line in starter_synonyms():
        first = analysis.normalize(split_terms(line)[0])
        if first in existing:
            continue
        group = SynonymGroup(terms=line, note="系统预置")
        group.full_clean()
        group.save()
        created += 1
    if created:
        invalidate()
    return created
