"""志愿服务记录证明: issuing records each issuance under a unique serial; the print page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.snippets.certificates import issue_certificate, next_serial
from portal.snippets.models import CertificateIssue, ServiceRecord
from portal.snippets.volunteering import full_id_number

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    for day, hours, activity in [
        (datetime.date(2025, 3, 1), "2", "敬老院陪护"),
        (datetime.date(2025, 4, 9), "3.5", "防汛值守"),
    ]:
        ServiceRecord.objects.create(
            volunteer=world.vol_x,
            date=day,
            hours=Decimal(hours),
            activity=activity,
            team=world.team_x,
            verifier="周主任",
        )


def test_issue_through_the_admin_and_print(client, world, records):
    login(client, world.village_staff_x)
    url = reverse("wagtailsnippets_snippets_volunteer:certificate", args=[world.vol_x.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "5.5" in form.content.decode()

    response = client.post(url, {"team": world.team_x.pk, "purpose": "升学材料"})
    assert response.status_code == 302
    issue = CertificateIssue.objects.get()
    year = timezone.localtime(issue.issued_at).year
    assert re.fullmatch(rf"ZYZM-{year}-\d{{6}}", issue.serial)
    assert issue.issued_by == world.village_staff_x
    assert issue.issuing_body == world.team_x.name
    assert issue.total_hours == Decimal("5.5") and issue.record_count == 2
    assert ModelLogEntry.objects.filter(
        object_id=str(world.vol_x.pk), action="portal.issue_certificate"
    ).exists()

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    for expected in [
        "志愿服务记录证明",
        issue.serial,
        world.vol_x.name,
        world.vol_x.id_number_masked,
        "5.5",
        "敬老院陪护",
        "防汛值守",
        world.team_x.name,
        "certificate.css",
    ]:
        assert expected in html
    assert full_id_number(world.vol_x) not in html
    assert "<script>" not in html  # CSP: print button wired from a static file


def test_serials_are_sequential_and_unique(world, records):
    first = issue_certificate(world.vol_x, world.superuser)
    second = issue_certificate(world.vol_x, world.superuser)
    assert first.serial != second.serial
    assert int(second.serial[-6:]) == int(first.serial[-6:]) + 1
    assert next_serial(2031) == "ZYZM-2031-000001"


def test_reprint_shows_what_was_certified(client, world, records):
    issue = issue_certificate(world.vol_x, world.superuser)
    ServiceRecord.objects.create(
        volunteer=world.vol_x,
        date=datetime.date(2025, 6, 1),
        hours=Decimal("9"),
        activity="后来补录的活动",
        verifier="吴书记",
    )
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_volunteer:certificate_print", args=[issue.serial])
    html = client.get(url).content.decode()
    assert "后来补录的活动" not in html
    assert "5.5" in html


def test_certificate_outside_scope_is_404(client, world):
    issue = issue_certificate(world.vol_z, world.superuser)
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_volunteer:certificate_print", args=[issue.serial])
    response = client.get(url)
    assert response.status_code == 404
    assert world.vol_z.name not in response.content.decode()
    issue_url = reverse("wagtailsnippets_snippets_volunteer:certificate", args=[world.vol_z.pk])
    assert client.post(issue_url).status_code == 404
    assert CertificateIssue.objects.count() == 1


def test_grid_worker_cannot_issue(client, world):
    login(client, world.grid_worker_x)
    url = reverse("wagtailsnippets_snippets_volunteer:certificate", args=[world.vol_x.pk])
    assert client.post(url).status_code == 403
    assert not CertificateIssue.objects.exists()
