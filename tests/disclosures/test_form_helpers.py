"""Disclosure form details: year pre-filled, no doubled labels, no nested boards, no twin files."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from portal.pages.disclosures.defaults import last_ended_period
from portal.pages.models import DisclosureCatalogItem, DisclosureIndexPage, DisclosurePage

from .conftest import add_url, form_data

pytestmark = pytest.mark.django_db


def test_year_is_prefilled_on_a_new_disclosure(client, editor, tree):
    client.force_login(editor)
    response = client.get(add_url(tree["东湖社区"]))
    # The year of the quarter most recently ended (in January–March: last year's Q4).
    expected = last_ended_period("quarter", timezone.localdate())[0]
    assert response.context["form"].initial["year"] == expected


def test_catalog_label_is_not_doubled(regions):
    start = datetime.date(2026, 1, 1)
    plain = DisclosureCatalogItem(
        name="村民会议决定", kind="village", frequency="quarter", active_from=start
    )
    suffixed = DisclosureCatalogItem(
        name="村民会议决定（季度）", kind="village", frequency="quarter", active_from=start
    )
    assert str(plain) == "村民会议决定（季度）"
    assert str(suffixed) == "村民会议决定（季度）"


def test_no_board_inside_a_village_board(tree):
    assert not DisclosureIndexPage.can_create_at(tree["东湖社区"])
    assert DisclosureIndexPage.can_create_at(tree["town"])
    assert DisclosurePage.can_create_at(tree["东湖社区"])


def test_the_same_file_attached_twice_is_refused(client, editor, tree, make_document):
    first = make_document("合同", "contract.csv", b"a,b\n1,2\n")
    twin = make_document("合同（再次上传）", "contract-copy.csv", b"a,b\n1,2\n")
    client.force_login(editor)
    for documents in ([first, first], [first, twin]):
        rows = inline_formset([{"document": str(d.pk), "title": ""} for d in documents])
        response = client.post(add_url(tree["东湖社区"]), form_data(attachments=rows))
        assert response.status_code == 200
        assert "是同一个文件，请勿重复添加" in " ".join(response.context["form"].non_field_errors())
    assert not DisclosurePage.objects.exists()
