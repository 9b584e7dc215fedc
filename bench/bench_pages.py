"""Benchmark: render the notice board with 1,000 notices, a disclosure page and the home page.

Prints median / p95 render time and the query count of each page, and the ratio of
the 1,000-notice list against the same list with 20 notices measured in this run
(so a slower machine does not hide an N+1 or a missing index). A script that prints
figures, not a test.

Runs against a throwaway database: a fresh SQLite file under ``var/bench/`` by
default, or ``--database-url`` (a database you are happy to have migrated and
filled; e.g. ``postgres://postgres@127.0.0.1:5432/portal_bench``).

    .venv/bin/python bench/bench_pages.py [--notices 1000] [--runs 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000, help="notices on the board")
    parser.add_argument("--runs", type=int, default=30, help="renders per page")
    parser.add_argument("--finance-lines", type=int, default=40, help="rows in the finance table")
    parser.add_argument("--database-url", default="", help="throwaway database (default SQLite)")
    return parser.parse_args()


def setup_django(database_url):
    if not database_url:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db_file = bench_dir / "bench_pages.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{db_file}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return database_url


def build_site():
    """Home with two boards: the big one and a 20-notice baseline board."""
    from wagtail.models import Page, Site

    from portal.pages.models import HomePage, NoticeIndexPage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="青石街道基层治理门户", slug="bench-home"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    big = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    small = home.add_child(instance=NoticeIndexPage(title="基线", slug="baseline"))
    return home, big, small


def add_notices(index, start, count):
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from portal.pages.models import NoticePage

    categories = NoticePage.Category.values
    today = timezone.localdate()
    with transaction.atomic():
        for n in range(start, start + count):
            day = today - datetime.timedelta(days=n % 700)
            index.add_child(
                instance=NoticePage(
                    title=f"关于做好第{n}项基层治理工作的通知",
                    slug=f"notice-{n}",
                    date=day,
                    category=categories[n % len(categories)],
                    issuing_unit="青石街道办事处",
                    pinned=n % 97 == 0,
                    urgent=n % 53 == 0,
                    valid_until=day + datetime.timedelta(days=30) if n % 5 == 0 else None,
                    summary="请各村（社区）、各网格按要求认真落实，并及时报送工作进展。",
                    body=[("paragraph", RichText("<p>" + "正文内容。" * 80 + "</p>"))],
                )
            )


def build_disclosure(home, lines):
    from decimal import Decimal

    from tests.factories import finance_disclosure, xiling_disclosure_board

    _, _, board = xiling_disclosure_board(home)
    items = [
        ("income" if i % 3 else "expense", f"收支项目{i}", Decimal("1234.56") + i)
        for i in range(lines)
    ]
    page = finance_disclosure(
        board,
        "西岭村第三季度财务收支公开",
        "finance-q3",
        "50000.00",
        items,
        summary="第三季度村集体收支情况，经村务监督委员会审核。",
    )
    return page.url


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches (site root paths, compiled templates)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, queries


def pad(text, width):
    """Left-justify counting CJK characters as two columns."""
    shown = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return text + " " * max(0, width - shown)


def row(label, figures):
    median, p95, queries = figures
    print(f"{pad(label, 40)} {median:>9.1f} {p95:>9.1f} {queries:>8}")


def main():
    args = parse_args()
    database_url = setup_django(args.database_url)
    from django.db import connection
    from django.test import Client

    baseline_size = min(20, args.notices)
    print(f"数据库：{connection.vendor}（{database_url.split('@')[-1]}）")
    print(f"通知：{args.notices} 条；每页测 {args.runs} 次；财务明细 {args.finance_lines} 行\n")

    home, index, baseline_index = build_site()
    client = Client()

    started = time.perf_counter()
    add_notices(baseline_index, 0, baseline_size)
    add_notices(index, baseline_size, args.notices)
    build_seconds = time.perf_counter() - started
    disclosure_url = build_disclosure(home, args.finance_lines)
    last_page = (args.notices + 19) // 20

    print(f"{pad('页面', 40)} {'中位数ms':>7} {'p95 ms':>9} {'查询数':>5}")
    baseline = measure(client, "/baseline/", args.runs)
    row(f"通知列表（{baseline_size} 条，基线）", baseline)
    full = measure(client, "/notices/", args.runs)
    row(f"通知列表（{args.notices} 条）第1页", full)
    deep = measure(client, f"/notices/?page={last_page}", args.runs)
    row(f"通知列表（{args.notices} 条）第{last_page}页", deep)
    row(
        "通知列表 按类别+年份筛选",
        measure(client, "/notices/?category=publicity&year=2026", args.runs),
    )
    row("通知详情", measure(client, f"/notices/notice-{baseline_size + 7}/", args.runs))
    row(f"财务公开页（{args.finance_lines} 行明细）", measure(client, disclosure_url, args.runs))
    row(f"首页（{args.notices + baseline_size} 条通知）", measure(client, "/", args.runs))

    print(
        f"\n{args.notices} 条对基线 {baseline_size} 条：第1页时间 ×{full[0] / baseline[0]:.2f}，"
        f"末页时间 ×{deep[0] / baseline[0]:.2f}；查询数 {full[2]} / {deep[2]} 对 {baseline[2]}"
    )
    print(f"（建立 {args.notices + baseline_size} 条通知用时 {build_seconds:.1f} 秒）")


if __name__ == "__main__":
    main()
