"""Fixtures for the field workspace: the case tests' region tree, categories and staff.

Reused from ``tests/cases/conftest.py`` (清河县 → 青石街道 → 东湖社区, 西岭村; 白沙镇 →
白沙村); ``xiling`` is a 网格员 of 西岭村, ``donghu`` village staff of 东湖社区.
"""

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.snippets.models import StaffRegion
from tests.care import conftest as care_fixtures
from tests.cases import conftest as case_fixtures

tree = case_fixtures.tree
categories = case_fixtures.categories
users = case_fixtures.users
make_case = case_fixtures.make_case
a_while_ago = case_fixtures.a_while_ago


@pytest.fixture
def worker_client(client, users):
    client.force_login(users.xiling)
    return client


@pytest.fixture
def resident(tree):
    """Signed-in account with a region but no staff permission (e.g. a resident's account)."""
    user = get_user_model().objects.create_user(username="resident", password="pw")
    StaffRegion.objects.create(user=user, region=tree.xiling)
    return user


def photo(name="scene.jpg", color=(30, 120, 200)):
    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 30.0), 3: "E", 4: (114.0, 4.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def token():
    return str(uuid.uuid4())


care = care_fixtures.care
