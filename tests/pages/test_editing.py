"""Editing without surprises: no ghost drafts from autosave, short unique slugs."""

import pytest
from django.conf import settings
from wagtail.models import Page
from wagtail.test.utils.form_data import streamfield

from portal.pages.models import NoticePage
from portal.pages.slugs import MAX_LENGTH, short_slug
from tests.factories import notice_form_data

pytestmark = pytest.mark.django_db

TITLE = "关于做好2026年度城乡居民基本医疗保险集中参保缴费工作的通知（第二批）"


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    return client


def notice_data(**fields):
    return notice_form_data(TITLE, **fields)


def add_notice_url(index):
    return f"/admin/pages/add/pages/noticepage/{index.pk}/"


def test_autosave_is_off(admin_client, notice_index):
    assert settings.WAGTAIL_AUTOSAVE_INTERVAL == 0
    response = admin_client.get(add_notice_url(notice_index))
    assert response.context["autosave_enabled"] is False


def test_a_background_save_creates_no_page(admin_client, notice_index):
    before = Page.objects.count()
    response = admin_client.post(
        add_notice_url(notice_index),
        notice_data(body=streamfield([])),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "autosave_disabled"
    assert Page.objects.count() == before


def test_chinese_slug_from_the_title_becomes_short_and_ascii(admin_client, notice_index):
    # What Wagtail's JavaScript would put in the slug field for a Chinese title.
    response = admin_client.post(add_notice_url(notice_index), notice_data(slug=TITLE))
    assert response.status_code == 302
    notice = NoticePage.objects.get()
    assert len(notice.slug) <= MAX_LENGTH
    assert notice.slug.isascii()
    assert "%" not in notice.url


def test_same_title_twice_gets_unique_slugs_without_help(admin_client, notice_index):
    for _ in range(3):
        response = admin_client.post(add_notice_url(notice_index), notice_data(slug=""))
        assert response.status_code == 302
    slugs = list(NoticePage.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 3
    assert all(len(slug) <= MAX_LENGTH for slug in slugs)


def test_a_typed_ascii_slug_is_kept_and_a_long_one_cut(admin_client, notice_index):
    admin_client.post(add_notice_url(notice_index), notice_data(slug="water-cut"))
    admin_client.post(add_notice_url(notice_index), notice_data(slug="water-cut"))
    admin_client.post(add_notice_url(notice_index), notice_data(slug="a" * 200))
    slugs = sorted(NoticePage.objects.values_list("slug", flat=True))
    assert slugs == sorted(["water-cut", "water-cut-2", "a" * MAX_LENGTH])


def test_short_slug_respects_the_length_when_numbering(notice_index, make_notice):
    base = "b" * MAX_LENGTH
    make_notice(slug=base)
    slug = short_slug(base, notice_index)
    assert slug == "b" * (MAX_LENGTH - 2) + "-2"
