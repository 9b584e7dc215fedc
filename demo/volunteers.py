"""Demo volunteers: teams, 240 volunteers with valid ID numbers, service records and points.

Everything is generated from a seeded ``random.Random`` so that reruns produce
the same people; volunteers are found again by the keyed hash of their ID
number, so a rerun creates nothing twice.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from taggit.models import Tag

from demo import people as demo_people
from demo import regions as demo_regions
from demo.grids import demo_grids
from portal.snippets import pii
from portal.snippets.models import PointsEntry, ServiceRecord, Volunteer, VolunteerTeam
from portal.snippets.models.volunteers import VolunteerSkill

VOLUNTEER_COUNT = 240

TEAMS = [
    ("青石街道新时代文明实践志愿服务总队", None),
    ("东湖社区巾帼志愿服务队", "东湖社区"),
    ("西岭村党员先锋志愿服务队", "西岭村"),
    ("南坪村乡贤调解志愿服务队", "南坪村"),
    ("北塘社区青年志愿服务队", "北塘社区"),
]
SKILLS = [
    "医疗护理",
    "法律咨询",
    "心理疏导",
    "文艺演出",
    "电器维修",
    "理发",
    "书法",
    "驾驶",
    "摄影",
    "外语",
    "调解",
    "助老",
]
ACTIVITIES = [
    "敬老院陪护",
    "社区环境整治",
    "反诈宣传进小区",
    "防汛值守",
    "文明交通劝导",
    "义诊进村",
    "垃圾分类督导",
    "留守儿童课业辅导",
    "矛盾纠纷调解",
    "疫苗接种现场服务",
    "重阳节慰问",
    "图书角整理",
]
VERIFIERS = ["周主任", "吴书记", "郑委员", "孙站长"]


def _load_teams():
    town = demo_regions.demo_town()
    villages = {v.name: v for v in demo_regions.demo_villages()}
    teams = []
    for name, village_name in TEAMS:
        region = villages[village_name] if village_name else town
        team, _ = VolunteerTeam.objects.get_or_create(
            name=name, defaults={"region": region, "description": f"{region.name}志愿服务队伍"}
        )
        teams.append(team)
    return teams


def _people(rng, grids):
    """The demo volunteers as unsaved objects with their clear ID numbers."""
    names = demo_people.volunteer_names(rng, VOLUNTEER_COUNT)
    seen_ids = set()
    people = []
    for name in names:
        male = rng.random() < 0.45
        while True:
            born = demo_people.birth_date(rng)
            number = demo_people.id_number(rng, born, male)
            if number not in seen_ids:
                seen_ids.add(number)
                break
        volunteer = Volunteer(
            name=name,
            phone=demo_people.volunteer_phone(rng),
            political_status=rng.choice(
                [Volunteer.PoliticalStatus.MASSES] * 3
                + [Volunteer.PoliticalStatus.CPC, Volunteer.PoliticalStatus.CYL]
            ),
            grid=rng.choice(grids),
            registration_date=datetime.date(2019, 1, 1)
            + datetime.timedelta(days=rng.randint(0, 2200)),
            active=rng.random() > 0.08,
            gender="M" if male else "F",
            birth_date=born,
        )
        people.append((volunteer, number))
    return people


def load(stdout):
    rng = demo_people.make_rng("volunteers")
    teams = _load_teams()
    grids = list(demo_grids().order_by("code"))
    people = _people(rng, grids)
    hashes = {pii.hash_id_number(number): (v, number) for v, number in people}
    existing = set(
        Volunteer.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", flat=True)
    )
    new = [(v, n) for h, (v, n) in hashes.items() if h not in existing]
    if not new:
        stdout.write(f"志愿者：已存在 {len(people)} 名，跳过")
        return
    for volunteer, number in new:
        for field, value in pii.sealed_id_fields(number).items():
            setattr(volunteer, field, value)
    Volunteer.objects.bulk_create([v for v, _ in new])
    created = list(
        Volunteer.objects.filter(id_number_hash__in=[pii.hash_id_number(n) for _, n in new])
    )
    created.sort(key=lambda v: v.pk)
    _link_teams_and_skills(rng, created, teams)
    records, points = _load_records(rng, created, teams)
    stdout.write(f"志愿者：新建 {len(created)} 名，服务记录 {records} 条，积分记录 {points} 条")


def _link_teams_and_skills(rng, volunteers, teams):
    town_team, village_teams = teams[0], {t.region_id: t for t in teams[1:]}
    membership = Volunteer.teams.through
    rows = []
    for volunteer in volunteers:
        own = village_teams.get(volunteer.grid.region_id)
        chosen = {own} if own else set()
        if rng.random() < 0.35 or not chosen:
            chosen.add(town_team)
        rows.extend(membership(volunteer_id=volunteer.pk, volunteerteam_id=t.pk) for t in chosen)
    membership.objects.bulk_create(rows)

    tags = {}
    for skill in SKILLS:
        tags[skill], _ = Tag.objects.get_or_create(name=skill, defaults={"slug": skill})
    skill_rows = []
    for volunteer in volunteers:
        for skill in rng.sample(SKILLS, rng.randint(0, 2)):
            skill_rows.append(VolunteerSkill(content_object_id=volunteer.pk, tag=tags[skill]))
    VolunteerSkill.objects.bulk_create(skill_rows)


def _load_records(rng, volunteers, teams):
    today = timezone.localdate()
    records, entries = [], []
    for volunteer in volunteers:
        balance = 0
        for _ in range(rng.randint(0, 8)):
            hours = Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4, 6])).quantize(Decimal("0.1"))
            day = today - datetime.timedelta(days=rng.randint(1, 720))
            records.append(
                ServiceRecord(
                    volunteer=volunteer,
                    date=day,
                    hours=hours,
                    activity=rng.choice(ACTIVITIES),
                    team=rng.choice(teams),
                    verifier=rng.choice(VERIFIERS),
                )
            )
            earned = int(hours * 10)
            balance += earned
            entries.append(
                PointsEntry(
                    volunteer=volunteer,
                    date=day,
                    kind=PointsEntry.Kind.EARNED,
                    points=earned,
                    reason="参加志愿服务",
                )
            )
        if balance >= 30 and rng.random() < 0.4:
            spent = rng.randint(10, balance)
            entries.append(
                PointsEntry(
                    volunteer=volunteer,
                    date=today - datetime.timedelta(days=rng.randint(0, 30)),
                    kind=PointsEntry.Kind.REDEEMED,
                    points=spent,
                    reason=rng.choice(["兑换生活用品", "兑换理发服务", "兑换米面油"]),
                )
            )
    ServiceRecord.objects.bulk_create(records)
    PointsEntry.objects.bulk_create(entries)
    return len(records), len(entries)
