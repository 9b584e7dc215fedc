"""Computed totals and the points ledger: hours and balance are never typed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.snippets.models import PointsEntry, ServiceRecord, Volunteer
from portal.snippets.volunteering import (
    annotate_totals,
    points_balance,
    redeem_problem,
    total_hours,
)

from .conftest import login, make_volunteer, valid_id

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 1)


def record(volunteer, hours, activity="敬老院陪护"):
    return ServiceRecord.objects.create(
        volunteer=volunteer, date=DAY, hours=Decimal(hours), activity=activity, verifier="周主任"
    )


def points(volunteer, kind, amount):
    return PointsEntry.objects.create(
        volunteer=volunteer, date=DAY, kind=kind, points=amount, reason="测试"
    )


def test_totals_are_sums_of_the_records(world):
    assert total_hours(world.vol_x) == Decimal("0")
    record(world.vol_x, "2.5")
    record(world.vol_x, "3")
    record(world.vol_y, "8")
    assert total_hours(world.vol_x) == Decimal("5.5")
    points(world.vol_x, "earned", 40)
    points(world.vol_x, "earned", 15)
    points(world.vol_x, "redeemed", 20)
    assert points_balance(world.vol_x) == 35


def test_annotate_totals_is_one_query_and_does_not_multiply(world):
    # Two records and three ledger lines: a naive double join would report 3× hours.
    record(world.vol_x, "2")
    record(world.vol_x, "1.5")
    points(world.vol_x, "earned", 30)
    points(world.vol_x, "earned", 20)
    points(world.vol_x, "redeemed", 10)
    for n in range(5):
        extra = make_volunteer(world.grid_y, f"测试志愿者{n}", valid_id(30 + n))
        record(extra, "1")
    with CaptureQueriesContext(connection) as queries:
        rows = {v.pk: v for v in annotate_totals(Volunteer.objects.all())}
    assert len(queries) == 1
    assert rows[world.vol_x.pk].hours_total == Decimal("3.5")
    assert rows[world.vol_x.pk].points_total == 40
    assert rows[world.vol_z.pk].hours_total == 0
    assert rows[world.vol_z.pk].points_total == 0


def test_redeeming_more_than_the_balance_is_refused(world):
    points(world.vol_x, "earned", 30)
    assert redeem_problem(world.vol_x, 31) == "积分余额不足：当前余额 30 分，不能兑换 31 分"
    entry = PointsEntry(volunteer=world.vol_x, date=DAY, kind="redeemed", points=31, reason="兑换")
    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()
    assert "积分余额不足" in str(excinfo.value)
    # Editing an existing redemption does not count itself twice.
    spent = points(world.vol_x, "redeemed", 30)
    spent.points = 30
    spent.full_clean()


def test_redeem_refused_through_the_admin(client, world):
    points(world.vol_x, "earned", 25)
    login(client, world.village_staff_x)
    url = reverse("wagtailsnippets_snippets_pointsentry:add")
    data = {
        "volunteer": world.vol_x.pk,
        "date": "2025-05-02",
        "kind": "redeemed",
        "points": "26",
        "reason": "兑换米面油",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "积分余额不足：当前余额 25 分，不能兑换 26 分" in response.content.decode()
    assert points_balance(world.vol_x) == 25
    data["points"] = "25"
    assert client.post(url, data).status_code == 302
    assert points_balance(world.vol_x) == 0


def test_service_record_hours_must_be_sensible(client, world):
    login(client, world.village_staff_x)
    url = reverse("wagtailsnippets_snippets_servicerecord:add")
    data = {
        "volunteer": world.vol_x.pk,
        "date": "2025-05-02",
        "hours": "30",
        "activity": "防汛值守",
        "team": "",
        "verifier": "吴书记",
    }
    response = client.post(url, data)
    assert "服务时长必须大于0且不超过24小时" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    data["hours"] = "4"
    assert client.post(url, data).status_code == 302
    assert total_hours(world.vol_x) == Decimal("4")


def test_list_shows_computed_totals(client, world):
    record(world.vol_x, "7.5")
    points(world.vol_x, "earned", 75)
    login(client, world.town_admin_a)
    page = client.get(reverse("wagtailsnippets_snippets_volunteer:list")).content.decode()
    assert "7.5" in page and "75" in page
