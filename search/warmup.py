"""Pay a worker's first-search costs when it starts, not on a resident's first search.

``search.analysis.preload`` loads the segmenter's dictionaries (the bulk of it,
~1 s). What is left on a first search is Django's and the database's own
first use: the synonym table, the time-zone data behind ``localtime``, lazily
compiled validators and query paths, the JSON API's first request (DRF's
negotiation, renderers and serializers are built on first use), and the index's
pages in the database's cache. ``warm_up`` runs one public and one staff-scoped
search and one anonymous request through the search API view (results thrown
away) to pay those too. Called by gunicorn's ``post_worker_init`` (the app is
loaded by then; gunicorn.conf.py); never in tests or development.
"""

import logging

logger = logging.getLogger(__name__)

WARM_UP_QUERY = "网格员上报楼道电动车充电"


def warm_up():
    """One public and one staff search; a database that is not ready is logged, not raised."""
    from .analysis import preload
    from .params import parse_case_search_params
    from .service import PUBLIC, Audience, search_cases

    preload()
    try:
        params = parse_case_search_params({"q": WARM_UP_QUERY})
        search_cases(params, PUBLIC)
        search_cases(params, Audience(public_only=False, region_ids=None))
        _request_the_api(WARM_UP_QUERY)
    except Exception:  # a fresh install before migrate must still start
        logger.warning("检索预热失败（数据库尚未就绪？），首次检索会稍慢", exc_info=True)


def _request_the_api(q):
    """One anonymous GET through the JSON search view, as a resident's phone would send it."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from .api import CaseSearchAPIView

    request = RequestFactory().get("/api/cases/search/", {"q": q})
    request.user = AnonymousUser()
    response = CaseSearchAPIView.as_view()(request)
    response.render()
    return response.status_code
