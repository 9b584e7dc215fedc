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


# What a town admin may not do in the registers (portal.groups): certificates are
# issued by the system and regions are kept by the county, so the town admin reads
# them but neither adds nor edits. Everything else, and everything for a superuser,
# renders.
TOWN_ADMIN_DENIED = {
    ("certificateissue", "edit"),
    ("certificateissue", "add"),
    ("region", "edit"),
    ("region", "add"),
}


@pytest.mark.parametrize("user_key", ["superuser", "town_admin_a"])
@pytest.mark.parametrize("model_name", MODELS)
def test_pages_render(client, filled, user_key, model_name):
    login(client, getattr(filled, user_key))
    ns = f"wagtailsnippets_snippets_{model_name}"
    listing = client.get(reverse(f"{ns}:list"))
    assert listing.status_code == 200
    model = listing.context["view"].model
    obj = model.objects.order_by("pk").first()
    if model_name == "region":
        obj = filled.x
    if model_name == "staffregion":
        obj = StaffRegion.objects.get(user=filled.town_admin_a)
    denied = TOWN_ADMIN_DENIED if user_key == "town_admin_a" else set()
    for view, url in (
        ("inspect", reverse(f"{ns}:inspect", args=[obj.pk])),
        ("edit", reverse(f"{ns}:edit", args=[obj.pk])),
        ("add", reverse(f"{ns}:add")),
    ):
        response = client.get(url)
        if (model_name, view) in denied:
            # Wagtail's answer to a missing permission: back to the dashboard.
            assert response.status_code == 302, view
            assert response["Location"] == reverse("wagtailadmin_home"), view
        else:
            assert response.status_code == 200, view
            assert response.context["view"].model is model, view


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
