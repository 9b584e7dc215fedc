"""Invalid notice and policy data gives field errors in Chinese (model and admin form)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.pages.models import NoticePage, PolicyPage
from tests.factories import notice_form_data

pytestmark = pytest.mark.django_db

D = datetime.date


def errors_of(page):
    with pytest.raises(ValidationError) as info:
        page.full_clean()
    return info.value.message_dict


def test_notice_valid_until_before_valid_from(make_notice):
    notice = make_notice()
    notice.valid_from, notice.valid_until = D(2026, 5, 2), D(2026, 5, 1)
    assert errors_of(notice)["valid_until"] == ["有效期止不能早于有效期起，请检查两个日期。"]


def test_notice_pin_end_without_pin(make_notice):
    notice = make_notice()
    notice.pinned_until = D(2026, 12, 1)
    assert "请勾选“置顶”" in errors_of(notice)["pinned_until"][0]


def test_notice_pin_end_before_publication(make_notice):
    notice = make_notice(date=D(2026, 5, 10))
    notice.pinned, notice.pinned_until = True, D(2026, 5, 9)
    assert errors_of(notice)["pinned_until"] == ["置顶截止日期不能早于发布日期。"]


def test_sound_notice_passes(make_notice):
    notice = make_notice(pinned=True, pinned_until=D(2099, 1, 1))
    notice.valid_from, notice.valid_until = D(2026, 5, 1), D(2026, 5, 1)
    notice.full_clean()


def test_policy_effective_before_issue(make_policy):
    policy = make_policy(issue_date=D(2025, 3, 1))
    policy.effective_date = D(2025, 2, 28)
    assert errors_of(policy)["effective_date"] == ["施行日期不能早于发布日期。"]


def test_policy_repealed_before_issue(make_policy):
    policy = make_policy(issue_date=D(2025, 3, 1))
    policy.repealed_on = D(2025, 1, 1)
    assert errors_of(policy)["repealed_on"] == ["废止日期不能早于发布日期。"]


def test_policy_superseded_by_itself(make_policy):
    policy = make_policy()
    policy.superseded_by = policy
    assert errors_of(policy)["superseded_by"] == ["文件不能被自身修订，请选择另一份文件。"]


def test_policies_cannot_supersede_each_other(make_policy):
    a = make_policy()
    b = make_policy(superseded_by=a)
    a.superseded_by = b
    assert "不能互相修订" in errors_of(a)["superseded_by"][0]


def test_policy_interpreting_itself(make_policy):
    policy = make_policy()
    policy.interprets = policy
    assert "不能解读自身" in errors_of(policy)["interprets"][0]


def test_invalid_data_is_not_saved(make_policy):
    policy = make_policy(title="原标题")
    policy.title = "改后标题"
    policy.superseded_by = policy
    with pytest.raises(ValidationError):
        policy.save()
    assert PolicyPage.objects.get(pk=policy.pk).title == "原标题"


def test_admin_form_shows_the_chinese_field_error(client, django_user_model, notice_index):
    admin = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(admin)
    data = notice_form_data(
        "关于停水的通知",
        slug="water-cut",
        valid_from="2026-05-10",
        valid_until="2026-05-01",
        pinned_until="2026-06-01",
    )
    response = client.post(f"/admin/pages/add/pages/noticepage/{notice_index.pk}/", data)
    assert response.status_code == 200  # the form comes back instead of redirecting
    body = response.content.decode()
    assert "有效期止不能早于有效期起" in body
    assert "只有置顶的通知才能设置置顶截止日期" in body
    assert not NoticePage.objects.filter(slug="water-cut").exists()
