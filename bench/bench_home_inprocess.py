"""In-process cost of the home page, uncached and cached, on an existing database.

    DATABASE_URL=sqlite:///path/to/demo.sqlite3 .venv/bin/python bench/bench_home_inprocess.py

Prints the median and p90 milliseconds, the median CPU time (what counts on a busy
shared machine, where wall time is mostly waiting for a core) and the query count of ``GET /`` through
Django's test client (the whole middleware stack, no network), first with the
page cache bypassed (a bypass cookie), then served from it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("PAGE_CACHE_BYPASS_COOKIES", "bench_nocache")


def main(rounds=60, path="/"):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    uncached = Client()
    uncached.cookies["bench_nocache"] = "1"
    for label, c in (("未缓存", uncached), ("已缓存", client)):
        c.get(path)
        c.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(path)
        # Read now: every request resets the connection's query log.
        queries = len(ctx.captured_queries)
        times, cpu = [], []
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            c.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        cuts = statistics.quantiles(times, n=10)
        print(
            f"{label} {path}: 中位 {statistics.median(times):.1f} ms，p90 {cuts[8]:.1f} ms，"
            f"CPU 中位 {statistics.median(cpu):.1f} ms（机器繁忙时看这一项），查询 {queries} 次，X-Page-Cache={response.get('X-Page-Cache')}"
        )


if __name__ == "__main__":
    main(path=sys.argv[1] if len(sys.argv) > 1 else "/")
