"""The dashboard links town admins (and the submitter) to the cancel-review page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.groups import EDITOR, TOWN_ADMIN
from portal.pages.disclosures import review

from .conftest import _user

pytestmark = pytest.mark.django_db


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_town_admin_sees_the_link_on_the_dashboard(client, submitted, regions):
    admin = _user("town_admin", [Group.objects.get(name=TOWN_ADMIN)], regions["town"])
    html = _dashboard(client, admin)
    link = reverse("disclosure_cancel_review", args=(submitted.pk,))
    assert "审核中的公开内容（可撤回审核）" in html
    assert f'href="{link}"' in html
    assert submitted.title in html
    # and the link leads to the confirmation page that works for them
    assert "确认撤回审核" in client.get(link).content.decode()


def test_submitter_sees_the_link_too(client, submitted, editor):
    html = _dashboard(client, editor)
    assert reverse("disclosure_cancel_review", args=(submitted.pk,)) in html


def test_editor_of_another_village_does_not_see_it(client, submitted, xiling):
    other = _user("xiling_editor", [Group.objects.get(name=EDITOR)], xiling)
    html = _dashboard(client, other)
    assert reverse("disclosure_cancel_review", args=(submitted.pk,)) not in html
    assert "审核中的公开内容（可撤回审核）" not in html
    assert review.cancellable_reviews(other) == []


def test_town_admin_of_a_village_elsewhere_does_not_see_it(client, submitted, xiling):
    admin = _user("xiling_admin", [Group.objects.get(name=TOWN_ADMIN)], xiling)
    html = _dashboard(client, admin)
    assert reverse("disclosure_cancel_review", args=(submitted.pk,)) not in html


def test_committee_member_does_not_see_it(client, submitted, donghu_committee):
    html = _dashboard(client, donghu_committee)
    assert reverse("disclosure_cancel_review", args=(submitted.pk,)) not in html


def test_withdrawn_review_leaves_the_panel(client, submitted, regions):
    admin = _user("town_admin", [Group.objects.get(name=TOWN_ADMIN)], regions["town"])
    assert [page.pk for page, _ in review.cancellable_reviews(admin)] == [submitted.pk]
    client.force_login(admin)
    client.post(reverse("disclosure_cancel_review", args=(submitted.pk,)))
    assert review.cancellable_reviews(admin) == []
    assert "审核中的公开内容（可撤回审核）" not in _dashboard(client, admin)
