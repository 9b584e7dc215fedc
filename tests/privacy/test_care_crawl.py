"""The privacy crawler over care records: no care object's name, ID number, phone or address,
and nothing written on a visit, reaches any public page or API.

The full demo site plus care objects on every live grid, visits (with needs and
follow-ups) and rounds; then the crawl of ``test_public_crawl`` as an anonymous
visitor, with the public care figures page among its endpoints.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from portal.care import services
from portal.care.models import CareObject, Round, Visit
from portal.snippets.models import Grid
from tests.privacy import test_public_crawl as crawler
from tests.registers.conftest import valid_id

# Uncommon characters, so that a match is a leak and not prose.
SURNAMES = "璩隗郄卞阙"
GIVEN = ["翀珣", "琤瑀", "珝玥", "璟翾", "瑱琇", "琬珂"]
CARE_ENDPOINTS = ["/care/figures/", "/care/figures/?month=2026-11", "/care/figures/?month=bad"]


def _care_records():
    now = timezone.now()
    worker = get_user_model().objects.filter(is_superuser=True).first()
    made = []
    for n, grid in enumerate(Grid.objects.filter(live=True).order_by("code")[:20]):
        person = CareObject(
            grid=grid,
            kind=list(CareObject.Kind)[n % len(CareObject.Kind)],
            name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + "栞"[: n // 30],
            phone=f"1390000{n:04d}",
            address=f"璩家巷{n + 101}号院{n + 7}室",
            notes=f"独居需助浴{n}号事项",
        )
        services.seal_id_number(person, valid_id(n, born=datetime.date(1938, 2, 3)))
        person.save()
        Visit.objects.create(
            care_object=person,
            worker=worker,
            visited_at=now - datetime.timedelta(hours=n + 1),
            found_well=n % 2 == 0,
            needs=f"屋顶漏雨待修缮第{n}处",
            follow_up=f"联系民政办理第{n}项",
        )
        if worker is not None:
            Round.objects.get_or_create(
                grid=grid, worker=worker, date=timezone.localdate(), defaults={"notes": "巡查正常"}
            )
        made.append(person)
    return made


def _care_secrets(people):
    needles = {}
    for person in people:
        needles[person.name] = f"关爱对象#{person.pk} 姓名"
        needles[services.full_id_number(person)] = f"关爱对象#{person.pk} 身份证号"
        needles[person.id_number_masked] = f"关爱对象#{person.pk} 身份证号（脱敏）"
        needles[person.phone] = f"关爱对象#{person.pk} 电话"
        needles[person.address] = f"关爱对象#{person.pk} 地址"
        needles[person.notes] = f"关爱对象#{person.pk} 需求"
    for visit in Visit.objects.all():
        needles[visit.needs] = f"走访#{visit.pk} 发现需求"
        needles[visit.follow_up] = f"走访#{visit.pk} 后续跟进"
    return needles


@pytest.mark.django_db
def test_no_care_record_on_public_urls(demo_site, monkeypatch):
    people = _care_records()
    assert len(people) >= 5
    monkeypatch.setattr(crawler, "KNOWN_ENDPOINTS", [*CARE_ENDPOINTS, *crawler.KNOWN_ENDPOINTS])
    secrets = _care_secrets(people)
    fetched = crawler.crawl(Client())
    urls = {url: response for url, response in fetched}
    figures = urls["/care/figures/"]
    assert figures.status_code == 200
    assert f"走访 <strong>{len(people)}</strong> 次" in figures.content.decode()
    assert urls["/care/figures/?month=bad"].status_code == 400
    leaks, errors = [], []
    for url, response in fetched:
        if response.status_code >= 500:
            errors.append(url)
        text = crawler._readable(response)
        leaks.extend(f"{url}: {what}" for needle, what in secrets.items() if needle in text)
    assert not errors, errors
    assert not leaks, "公开页面或接口泄露了关爱对象信息：\n" + "\n".join(sorted(set(leaks))[:50])


@pytest.mark.django_db
def test_care_checker_catches_a_leak(demo_site):
    """The needles work: a care object's name put on a public grid board is found."""
    people = _care_records()
    person = people[0]
    grid = person.grid
    staff = grid.staff.first()
    staff.name = person.name  # simulate a bug: the person's name on the public board
    staff.save(update_fields=["name"])
    text = crawler._readable(Client().get(f"/grids/{grid.code}/"))
    hits = [what for needle, what in _care_secrets(people).items() if needle in text]
    assert f"关爱对象#{person.pk} 姓名" in hits


demo_site = crawler.demo_site
