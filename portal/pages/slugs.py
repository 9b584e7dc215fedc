"""Short, readable page slugs that are unique within the parent, without the editor's help.

Wagtail's admin fills the slug from the title; a Chinese title becomes a Unicode
slug that browsers show as ~200 percent-encoded characters, and a second notice
with the same title stops on "slug already in use". ``short_slug`` keeps an
ASCII slug the editor typed (cut to ``MAX_LENGTH``) and otherwise builds one
from a readable base — for a disclosure ``village-2026-q3``, else the date
``20261201`` — adding ``-2``, ``-3`` … until it is free under the parent.
"""

import re

from django.utils import timezone
from django.utils.text import slugify

MAX_LENGTH = 60
_ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_short_ascii(slug):
    return bool(slug) and len(slug) <= MAX_LENGTH and bool(_ASCII_SLUG.match(slug))


def base_slug(wanted, fallback=None, today=None):
    """The slug to start from: the editor's if it is short ASCII, else a readable fallback."""
    candidate = slugify(wanted or "", allow_unicode=False)
    if candidate and is_short_ascii(candidate[:MAX_LENGTH].strip("-")):
        return candidate[:MAX_LENGTH].strip("-")
    if fallback:
        fallback = slugify(fallback)[:MAX_LENGTH].strip("-")
        if fallback:
            return fallback
    return (today or timezone.localdate()).strftime("%Y%m%d")


def short_slug(wanted, parent, instance=None, fallback=None, today=None):
    """A slug ≤ ``MAX_LENGTH`` characters, free among ``parent``'s children (``instance`` excepted)."""
    base = base_slug(wanted, fallback, today)
    if parent is None:
        return base
    siblings = parent.get_children()
    if instance is not None and instance.pk:
        siblings = siblings.exclude(pk=instance.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1
