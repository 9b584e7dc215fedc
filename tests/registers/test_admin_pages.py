"""Every register admin page renders (superuser and a town admin), with Chinese labels."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.snippets.certificates import issue_certificate
from portal.snippets.models import PointsEntry, ServiceRecord, StaffRegion

from .conftest import login

pytestmark = pytest.mark.django_db

MODELS = [
    "grid",
    "gridstaff",
    "volunteer",
    "volunteerteam",
    "servicerecord",
    "pointsentry",
    "certificateissue",
    "region",
    "staffregion",
]


@pytest.fixture
def filled(world):
    ServiceRecord.objects.create(
        volunteer=world.vol_x,
        date=datetime.date(2025, 1, 5),
        hours=Decimal("2"),
        activity="义诊进村",
        verifier="孙站长",
    )
    PointsEntry.objects.create(
        volunteer=world.vol_x,
        date=datetime.date(2025, 1, 5),
        kind="earned",
        points=20,
        reason="服务",
    )
    issue_certificate(world.vol_x, world.superuser)
    return world


@pytest.mark.parametrize("user_key", ["superuser", "town_admin_a"])
@pytest.mark.parametrize("model_name", MODELS)
def test_pages_render(client, filled, user_key, model_name):
    login(client, getattr(filled, user_key))
    ns = f"wagtailsnippets_snippets_{model_name}"
    listing = client.get(reverse(f"{ns}:list"))
    if listing.status_code in (302, 403):  # no permission on this model for this role
        assert user_key != "superuser"
        return
    assert listing.status_code == 200
    model = listing.context["view"].model
    obj = model.objects.order_by("pk").first()
    if model_name == "region":
        obj = filled.x
    if model_name == "staffregion":
        obj = StaffRegion.objects.get(user=filled.town_admin_a)
    allowed = (200,) if user_key == "superuser" else (200, 302, 403)
    for view in ("inspect", "edit"):
        response = client.get(reverse(f"{ns}:{view}", args=[obj.pk]))
        assert response.status_code in allowed, view
    add = client.get(reverse(f"{ns}:add"))
    assert add.status_code in allowed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_volunteer_export_formats(client, filled, fmt):
    login(client, filled.town_admin_a)
    response = client.get(reverse("wagtailsnippets_snippets_volunteer:list"), {"export": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        assert "身份证号（脱敏）" in text and filled.vol_x.id_number_masked in text
