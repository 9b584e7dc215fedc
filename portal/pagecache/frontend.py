"""Purging a caching proxy in front of Django (nginx, Varnish) through Wagtail.

``wagtail.contrib.frontend_cache`` (installed only when ``FRONTEND_CACHE_URL``
is set) purges a page's own URLs when it is published or unpublished. A new
notice also changes its listing and the home page, so here the live ancestors
of a changed page are purged as well, and a deleted or moved page's URLs too
(Wagtail leaves those to the proxy's timeout). Changes to registers (grids,
regions …) are not purged one URL at a time: the proxy keeps those only for its
short validity (see README "缓存与前置代理").
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_around(page, include_page=False):
    """Purge ``page``'s live ancestors (its listings, the home page), and the page itself."""
    if not enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    ancestors = page.get_ancestors().live().filter(depth__gt=1).specific()
    batch.add_pages(list(ancestors))
    if include_page:
        batch.add_page(page)
    try:
        batch.purge()
    except Exception:  # the proxy being down must not fail a publish
        logger.exception("前置缓存清除失败")
