"""Deterministic fake people for the demo: names, phones and valid ID numbers.

Two disjoint name pools: grid staff (public by design) get ordinary names;
volunteers (private) get three-character names built from rarely combined
characters, so that the privacy crawler can search every page for them without
matching ordinary prose, and so that no volunteer shares a name with a staff
member. Phones are disjoint the same way (different number ranges).
"""

import datetime
import random

from portal.snippets.pii import id_check_code

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程"
# Volunteers: uncommon given-name characters; a surname plus two of these is
# very unlikely to occur in any notice, policy or case summary.
VOLUNTEER_GIVEN = "翊珩昀淼琛珂翎祎璟铖骁霈濯晔曦湛煜钰琰彧瑄玥琬珺璐芃沅泠樾峣珈瑜岚汐"
# Staff: everyday given names (public on each grid's board).
STAFF_GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "海燕",
    "永红",
    "卫东",
    "丽华",
    "国庆",
    "春梅",
    "文斌",
    "晓东",
    "玉兰",
    "德明",
    "淑珍",
    "红军",
    "建华",
    "爱民",
    "凤英",
    "俊杰",
]

# Mobile ranges: volunteers and staff never share a prefix.
VOLUNTEER_MOBILE_PREFIXES = ["135", "136", "150", "151", "182", "187"]
STAFF_MOBILE_PREFIXES = ["139", "133"]
STAFF_LANDLINE_AREA = "0376"

ID_AREA_CODE = "411523"  # 清河县 in the demo tree


def volunteer_names(rng, count, taken=()):
    """``count`` distinct three-character names, none in ``taken``."""
    names, seen = [], set(taken)
    while len(names) < count:
        first, second = rng.sample(VOLUNTEER_GIVEN, 2)
        name = rng.choice(SURNAMES) + first + second
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def staff_names(rng, count):
    names, seen = [], set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(STAFF_GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def volunteer_phone(rng):
    return rng.choice(VOLUNTEER_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def staff_phone(rng):
    if rng.random() < 0.5:
        return f"{STAFF_LANDLINE_AREA}-6{rng.randrange(10**6, 10**7):07d}"
    return rng.choice(STAFF_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(rng, born, male):
    """A valid 18-digit ID number (GB 11643 checksum) for the demo county."""
    sequence = rng.randrange(0, 100)
    gender_digit = rng.choice("13579" if male else "02468")
    first17 = f"{ID_AREA_CODE}{born:%Y%m%d}{sequence:02d}{gender_digit}"
    return first17 + id_check_code(first17)


def birth_date(rng, oldest=1950, youngest=2004):
    start = datetime.date(oldest, 1, 1).toordinal()
    end = datetime.date(youngest, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def make_rng(label):
    """One seeded generator per demo section, so sections stay stable independently."""
    return random.Random(f"portal-demo-{label}")
