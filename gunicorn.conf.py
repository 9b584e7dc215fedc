"""gunicorn settings: ``gunicorn -c gunicorn.conf.py portal.wsgi``.

Every value can be overridden on the command line or through the environment
(``GUNICORN_BIND``, ``WEB_CONCURRENCY``, ``GUNICORN_TIMEOUT``). The one thing
this file adds over the defaults is the search warm-up: each worker loads the
jieba segmenter and its dictionaries as it starts (``post_fork``), then, once
the app is loaded, runs one search to pay Django's and the database's first-use
costs (``post_worker_init``, ``search.warmup``), so the first search a resident
runs after a restart is as fast as the hundredth (otherwise it pays ~1 s).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_fork(server, worker):
    # search.analysis imports no Django models, so this works before the app loads.
    from search.analysis import preload

    preload()
    server.log.info("worker %s: segmenter loaded", worker.pid)


def post_worker_init(worker):
    from search.warmup import warm_up

    warm_up()
    worker.log.info("worker %s: search warmed up", worker.pid)
