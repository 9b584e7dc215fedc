"""Nothing of the workspace reaches someone not signed in: every /field/ route, crawled anonymously."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.care import services as care_services
from portal.field import urls as field_urls
from tests.care.conftest import make_care_object

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "service_worker"}


def test_every_field_route_is_closed_to_anonymous_visitors(care):
    person = make_care_object(
        care.grid_b,
        "钱桂芳",
        5,
        created_at=timezone.now() - datetime.timedelta(days=30),
        address="西岭村七组8号",
    )
    patrol, _ = care_services.start_round(care.worker_b, care.grid_b)
    visit, _ = care_services.record_visit(care.worker_b, person, needs="需要代购药品")
    pks = {"pk": person.pk, "grid_pk": care.grid_b.pk}
    secrets = [person.name, person.address, person.phone, "代购药品", care.worker_b.username]
    anonymous = Client()
    for pattern in field_urls.urlpatterns:
        kwargs = {name: pks.get(name, visit.pk) for name in pattern.pattern.converters}
        if "action" in pattern.pattern.converters:
            kwargs["action"] = "dispatch"
        url = reverse(f"field:{pattern.name}", kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            body = response.content.decode(errors="replace")
            for secret in secrets:
                assert secret not in body, f"{method.upper()} {url} 泄露了“{secret}”"
            if pattern.name in PUBLIC:
                continue
            assert response.status_code in (302, 405), f"{method.upper()} {url}"
            if response.status_code == 302:
                assert response["Location"].startswith("/field/login/")
