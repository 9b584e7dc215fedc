"""Submitting a disclosure for a period still running warns (in Chinese) but goes through."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from portal.pages.disclosures.compliance import period_containing
from portal.pages.models import DisclosurePage

from .conftest import edit_url, form_data

pytestmark = pytest.mark.django_db


def _submit(client, page, **fields):
    response = client.post(edit_url(page), {**form_data(**fields), "action-submit": "1"})
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_submitting_a_running_quarter_warns_but_submits(client, editor, make_disclosure):
    current = period_containing("quarter", timezone.localdate())
    page = make_disclosure(live=False, year=current.year, period_number=current.number)
    client.force_login(editor)
    response, messages = _submit(
        client, page, slug=page.slug, year=str(current.year), period_number=str(current.number)
    )
    assert response.status_code == 302
    warning = f"提示：所选期间（{current.year}年第{current.number}季度）尚未结束"
    assert any(warning in m for m in messages), messages
    page = DisclosurePage.objects.get(pk=page.pk)
    assert page.workflow_in_progress  # a warning, not a refusal


def test_an_ended_quarter_gives_no_warning(client, editor, make_disclosure):
    ended = period_containing("quarter", timezone.localdate()).preceding()
    page = make_disclosure(live=False, year=ended.year, period_number=ended.number)
    client.force_login(editor)
    response, messages = _submit(
        client, page, slug=page.slug, year=str(ended.year), period_number=str(ended.number)
    )
    assert response.status_code == 302
    assert not any("尚未结束" in m for m in messages), messages
    assert DisclosurePage.objects.get(pk=page.pk).workflow_in_progress


def test_saving_a_draft_of_a_running_quarter_does_not_warn(client, editor, make_disclosure):
    current = period_containing("quarter", timezone.localdate())
    page = make_disclosure(live=False, year=current.year, period_number=current.number)
    client.force_login(editor)
    response = client.post(
        edit_url(page),
        form_data(slug=page.slug, year=str(current.year), period_number=str(current.number)),
    )
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("尚未结束" in m for m in messages), messages
