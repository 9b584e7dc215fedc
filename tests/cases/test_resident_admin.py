"""Staff see a report's photos on the case page and mark one public, within their regions."""

import pytest

from portal.cases.models import Case, CasePhoto

from .resident import jpeg_with_gps, number_and_code, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(client, tree, categories):
    response = submit(client, tree.grids.donghu, categories.sanitation, photos=[jpeg_with_gps()])
    number, _code = number_and_code(response)
    return CasePhoto.objects.get(case__number=number)


def test_inspect_page_shows_the_photo_and_the_switch(client, photo, users):
    client.force_login(users.donghu)
    response = client.get(f"/admin/cases/case/inspect/{photo.case_id}/")
    text = response.content.decode()
    assert f"/cases/photos/{photo.pk}/" in text and "设为公开" in text
    assert client.get(f"/cases/photos/{photo.pk}/").status_code == 200


def test_staff_in_scope_mark_a_photo_public_and_back(client, photo, users):
    client.force_login(users.donghu)
    response = client.post(f"/cases/photos/{photo.pk}/public/", {"public": "1"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_public
    # still not served publicly while the case itself is private
    client.logout()
    assert client.get(f"/cases/photos/{photo.pk}/").status_code == 404
    Case.objects.filter(pk=photo.case_id).update(is_public=True, public_summary="已处理")
    assert client.get(f"/cases/photos/{photo.pk}/").status_code == 200
    client.force_login(users.donghu)
    client.post(f"/cases/photos/{photo.pk}/public/", {"public": "0"})
    photo.refresh_from_db()
    assert not photo.is_public


def test_others_cannot_touch_the_switch(client, photo, users):
    assert client.post(f"/cases/photos/{photo.pk}/public/", {"public": "1"}).status_code == 302
    for user in (users.baisha, users.editor):
        client.force_login(user)
        assert client.post(f"/cases/photos/{photo.pk}/public/", {"public": "1"}).status_code == 404
    client.force_login(users.donghu)
    assert client.get(f"/cases/photos/{photo.pk}/public/").status_code == 405
    photo.refresh_from_db()
    assert not photo.is_public
