"""Cost of finding a grid by place name and by point, at a city's scale of grids.

    .venv/bin/python bench/bench_grid_places.py [GRIDS]

Builds GRIDS (default 18,100, one city's count) published grids with coverage
texts and square boundaries in a throw-away SQLite database, then prints the
median milliseconds of ``find_grids`` (the /grids/?q= search), ``resolve_address``
(Open311 address_string) and ``grid_at`` (Open311 lat/long, a full scan of the
boundaries), each with its ratio to a budget (300 ms for a search, 1,000 ms for a
POST's point lookup).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

ESTATES = ["幸福", "和平", "阳光", "建设", "光明", "东湖", "西岭", "翠园", "金桥", "锦绣"]


def median_ms(fn, rounds=15):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(count=18_100):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from portal.snippets.grid_places import find_grids, resolve_address
    from portal.snippets.grid_points import grid_at
    from portal.snippets.models import Grid, Region

    county = Region.objects.create(name="浉河区", level="county", code="411502000000")
    town = Region.objects.create(name="五星街道", level="town", parent=county, code="411502001000")
    villages = [
        Region.objects.create(
            name=f"第{i}社区", level="village", parent=town, code=f"411502001{i:03d}"
        )
        for i in range(1, 101)
    ]
    grids = []
    for n in range(count):
        x, y = 114.0 + (n % 200) * 0.001, 32.0 + (n // 200) * 0.001
        square = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
        grids.append(
            Grid(
                code=f"411502001{n // 181 + 1:03d}{n % 181 + 1:03d}",
                name=f"第{n + 1}网格",
                region=villages[n % 100],
                coverage=f"{ESTATES[n % 10]}{n // 10}号小区{n % 7 + 1}-{n % 7 + 6}栋、{ESTATES[(n + 3) % 10]}路{n % 13}段",
                boundary={"type": "Polygon", "coordinates": [square]},
                live=True,
            )
        )
    Grid.objects.bulk_create(grids, batch_size=1000)
    live = Grid.objects.filter(live=True)
    last = grids[-1]
    lon, lat = last.boundary["coordinates"][0][0]
    figures = [
        ("find_grids 幸福1234号小区", median_ms(lambda: find_grids("幸福1234号小区", live))),
        ("find_grids 幸福小区（宽）", median_ms(lambda: find_grids("幸福小区", live))),
        ("resolve_address", median_ms(lambda: resolve_address("幸福1234号小区", live))),
        (
            "grid_at（最后一个网格）",
            median_ms(lambda: grid_at(lat + 0.0005, lon + 0.0005, live), 5),
        ),
    ]
    print(f"{count} 个网格")
    for label, ms in figures:
        print(f"{label}: {ms:.1f} ms（下限 1 ms 的 {ms / 1:.0f} 倍）")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 18_100)
