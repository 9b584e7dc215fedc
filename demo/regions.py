"""Demo administrative tree: one county, one 街道 and its villages/communities."""

import datetime

from portal.snippets.models import Region

COUNTY = ("清河县", "411523000000")
TOWN = ("青石街道", "411523001000")
VILLAGES = [
    ("东湖社区", "411523001001"),
    ("西岭村", "411523001201"),
    ("南坪村", "411523001202"),
    ("北塘社区", "411523001002"),
]


def load(stdout):
    from portal.setup import ensure_root_region

    county, _ = ensure_root_region(COUNTY[0], COUNTY[1], "county")
    town, _ = Region.objects.get_or_create(
        parent=county,
        name=TOWN[0],
        defaults={"level": Region.Level.TOWN, "code": TOWN[1]},
    )
    for order, (name, code) in enumerate(VILLAGES):
        Region.objects.get_or_create(
            parent=town,
            name=name,
            defaults={
                "level": Region.Level.VILLAGE,
                "code": code,
                "sort_order": order,
                "effective_from": datetime.date(2019, 1, 1),
            },
        )
    stdout.write(f"区划：{county.name} / {town.name} 及 {len(VILLAGES)} 个村（社区）")


def demo_town():
    return Region.objects.get(name=TOWN[0], level=Region.Level.TOWN)


def demo_villages():
    return list(demo_town().children.order_by("sort_order"))
