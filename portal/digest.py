"""The daily digest of overdue items per user: a small registry that item kinds plug into.

Each app that owns a kind of deadline registers a *source* in its own
``digest_items`` module (found by ``autodiscover``, as Django finds ``admin``
modules)::

    from portal.digest import DigestLine, register

    @register("questions", "逾期未答复的村民询问", order=10)
    def overdue_questions(user, now):
        return [DigestLine("东湖社区：关于……的询问，逾期 2 天", "/admin/…")]

A source answers for one user (scoped the way the admin scopes that user) and
returns lines; the command ``send_overdue_digest`` mails each user the
non-empty sections once a day. A new kind (overdue visits, say) is one more
registered function, nothing else changes.
"""

from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

MAX_LINES = 20


@dataclass(frozen=True)
class DigestLine:
    text: str
    url: str = ""


@dataclass
class DigestSection:
    key: str
    title: str
    lines: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.lines)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    order: int
    function: object


_sources = {}
_discovered = False


def register(key, title, order=100):
    """Decorator: ``function(user, now) -> [DigestLine]`` becomes the digest section ``key``."""

    def decorator(function):
        _sources[key] = Source(key, title, order, function)
        return function

    return decorator


def autodiscover():
    global _discovered
    if not _discovered:
        autodiscover_modules("digest_items")
        _discovered = True


def sources():
    autodiscover()
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def sections_for(user, now):
    """The non-empty sections of ``user``'s digest at ``now``, in registry order."""
    result = []
    for source in sources():
        lines = list(source.function(user, now) or [])
        if lines:
            result.append(DigestSection(source.key, source.title, lines[:MAX_LINES], len(lines)))
    return result
