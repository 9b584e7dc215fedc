"""A review no one can bypass: read-only under review, no publishing without the committee.

Every attack goes through the real admin views (edit, create, bulk publish,
revision revert, the workflow action view) or the model's own door, as a
superuser where possible, and checks that nothing went live and nothing changed.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from portal.groups import TOWN_ADMIN
from portal.pages.disclosures import review
from portal.pages.models import DisclosurePage

from .conftest import _user, add_url, edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model, tree):
    return django_user_model.objects.create_superuser("root", password="pw-root")


@pytest.fixture
def draft(client, editor, tree):
    client.force_login(editor)
    client.post(add_url(tree["东湖社区"]), form_data())
    client.logout()
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert not page.live
    return page


def state_of(page):
    return WorkflowState.objects.for_instance(page).order_by("-id").first()


def approve(client, page, user, action="approve", comment=""):
    state = state_of(page)
    client.force_login(user)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, action, state.current_task_state.pk),
    )
    response = client.post(url, {"comment": comment})
    client.logout()
    return response


def grant_override(user):
    group = Group.objects.create(name="紧急发布")
    group.permissions.add(Permission.objects.get(codename=review.OVERRIDE_CODENAME))
    user.groups.add(group)


# --- read-only under review ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["donghu_committee", "editor", "superuser"])
def test_nobody_can_change_the_content_under_review(client, submitted, who, request):
    user = request.getfixturevalue(who)
    revisions = submitted.revisions.count()
    client.force_login(user)
    data = form_data(title="改过的金额", summary="审核人改了数字")
    for action in ({}, {"action-publish": "1"}, {"action-submit": "1"}):
        response = client.post(edit_url(submitted), {**data, **action})
        assert response.status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.title == "东湖社区2026年第3季度村民会议决定事项及执行情况"
    assert submitted.get_latest_revision().as_object().summary == "本季度召开村民代表会议两次。"
    assert submitted.revisions.count() == revisions
    assert not submitted.live
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS


def test_reviewer_sees_the_lock_and_only_review_actions(client, submitted, donghu_committee):
    client.force_login(donghu_committee)
    html = client.get(edit_url(submitted)).content.decode()
    assert "审核期间内容只读" in html
    assert 'name="action-publish"' not in html
    assert 'name="action-save-draft"' not in html or "disabled" in html
    assert "workflow-action-name" in html or 'value="approve"' in html


def test_reviewer_approves_from_the_edit_screen_without_changing_content(
    client, submitted, donghu_committee
):
    client.force_login(donghu_committee)
    data = form_data(title="审核人改的标题")
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    client.post(edit_url(submitted), data)
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.title == "东湖社区2026年第3季度村民会议决定事项及执行情况"
    assert submitted.approval.approver_name == "陈立新"


# --- nobody publishes without the committee -----------------------------------------------


def test_superuser_publish_on_create_only_saves_a_draft(client, superuser, tree):
    client.force_login(superuser)
    client.post(add_url(tree["东湖社区"]), {**form_data(), "action-publish": "1"})
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert not page.live and page.live_revision is None


def test_superuser_publish_on_edit_only_saves_a_draft(client, superuser, draft):
    client.force_login(superuser)
    response = client.post(edit_url(draft), {**form_data(), "action-publish": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    html = client.get(edit_url(draft)).content.decode()
    assert 'name="action-publish"' not in html


def test_superuser_bulk_publish_is_refused(client, superuser, draft, tree):
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={draft.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    # publishing the board with its drafts does not take the disclosure along either
    client.post(f"{url}?id={tree['东湖社区'].pk}", {"include_descendants": "on"})
    draft.refresh_from_db()
    assert not draft.live


def test_superuser_revision_revert_with_publish_is_refused(client, superuser, draft):
    revision = draft.get_latest_revision()
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:revisions_revert", args=(draft.pk, revision.pk))
    client.post(url, {**form_data(), "action-publish": "1"})
    draft.refresh_from_db()
    assert not draft.live


def test_superusers_approval_is_not_the_committees(client, superuser, submitted):
    response = approve(client, submitted, superuser)
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert not submitted.live
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS


def test_admin_api_publish_is_refused(client, superuser, draft):
    client.force_login(superuser)
    response = client.post(f"/admin/api/main/pages/{draft.pk}/action/publish/")
    assert response.status_code in (400, 403)
    draft.refresh_from_db()
    assert not draft.live


def test_copy_of_an_approved_disclosure_is_a_draft(client, submitted, donghu_committee, superuser):
    approve(client, submitted, donghu_committee)
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:copy", args=(submitted.pk,))
    client.post(
        url,
        {
            "new_title": "副本",
            "new_slug": "copy-1",
            "new_parent_page": submitted.get_parent().pk,
            "publish_copies": "on",
        },
    )
    copy = DisclosurePage.objects.get(slug="copy-1")
    assert not copy.live


def test_model_door_refuses_an_unapproved_revision(superuser, draft):
    with pytest.raises(review.DisclosureNotApproved):
        draft.save_revision(user=superuser).publish(user=superuser)
    with pytest.raises(review.DisclosureNotApproved):
        draft.get_latest_revision().publish(skip_permission_checks=True)
    draft.refresh_from_db()
    assert not draft.live


def test_a_change_after_approval_needs_a_new_approval(
    client, submitted, donghu_committee, editor, superuser
):
    approve(client, submitted, donghu_committee, comment="同意")
    submitted.refresh_from_db()
    assert submitted.live
    approved_revision = submitted.live_revision_id

    client.force_login(editor)
    client.post(edit_url(submitted), {**form_data(title="改后的标题"), "action-publish": "1"})
    submitted.refresh_from_db()
    assert submitted.live_revision_id == approved_revision
    assert submitted.title == "东湖社区2026年第3季度村民会议决定事项及执行情况"
    assert submitted.has_unpublished_changes
    with pytest.raises(review.DisclosureNotApproved):
        submitted.get_latest_revision().publish(user=superuser)
    client.logout()
    html = client.get(submitted.url).content.decode()
    assert "改后的标题" not in html
    assert "陈立新" in html


# --- the logged override ------------------------------------------------------------------


def test_superuser_does_not_hold_the_override_implicitly(superuser):
    assert superuser.has_perm(review.OVERRIDE_PERMISSION)  # Django says yes to superusers …
    assert not review.has_override(superuser)  # … the review does not


def test_override_is_logged_and_shown_publicly(client, superuser, draft):
    grant_override(superuser)
    client.force_login(superuser)
    html = client.get(edit_url(draft)).content.decode()
    assert "紧急发布（未经村务监督委员会审核）" in html
    client.post(edit_url(draft), {**form_data(), "action-publish": "1"})
    draft.refresh_from_db()
    assert draft.live
    entry = PageLogEntry.objects.get(page=draft, action=review.OVERRIDE_ACTION)
    assert entry.user == superuser
    assert entry.revision_id == draft.live_revision_id
    client.logout()
    public = client.get(draft.url).content.decode()
    assert "未经村务监督委员会审核" in public
    assert DisclosurePage.objects.get(pk=draft.pk).committee_reviewed is False


# --- withdrawing a review -----------------------------------------------------------------


def test_committee_member_cannot_cancel_the_workflow(client, submitted, donghu_committee):
    client.force_login(donghu_committee)
    client.post(edit_url(submitted), {**form_data(), "action-cancel-workflow": "1"})
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS
    response = client.post(reverse("disclosure_cancel_review", args=(submitted.pk,)))
    assert response.status_code == 302
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS


def test_superuser_cannot_cancel_either(client, submitted, superuser):
    client.force_login(superuser)
    client.post(edit_url(submitted), {**form_data(), "action-cancel-workflow": "1"})
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS


def test_submitter_cancels_and_it_is_in_the_history(client, submitted, editor):
    client.force_login(editor)
    client.post(
        edit_url(submitted), {**form_data(title="撤回时改的"), "action-cancel-workflow": "1"}
    )
    assert state_of(submitted).status == WorkflowState.STATUS_CANCELLED
    submitted.refresh_from_db()
    assert submitted.title == "东湖社区2026年第3季度村民会议决定事项及执行情况"
    assert PageLogEntry.objects.filter(page=submitted, action="wagtail.workflow.cancel").exists()


def test_town_admin_cancels_through_the_confirmation_page(client, submitted, regions):
    admin = _user("town_admin", [Group.objects.get(name=TOWN_ADMIN)], regions["town"])
    client.force_login(admin)
    url = reverse("disclosure_cancel_review", args=(submitted.pk,))
    assert "确认撤回审核" in client.get(url).content.decode()
    client.post(url)
    assert state_of(submitted).status == WorkflowState.STATUS_CANCELLED


def test_town_admin_of_another_town_cannot_cancel(client, submitted, xiling):
    admin = _user("other_admin", [Group.objects.get(name=TOWN_ADMIN)], xiling)
    client.force_login(admin)
    client.post(reverse("disclosure_cancel_review", args=(submitted.pk,)))
    assert state_of(submitted).status == WorkflowState.STATUS_IN_PROGRESS


def test_every_decision_is_in_the_audit_log(client, submitted, donghu_committee):
    approve(client, submitted, donghu_committee, action="reject", comment="金额有误")
    actions = set(PageLogEntry.objects.filter(page=submitted).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.reject"} <= actions
    entry = PageLogEntry.objects.get(page=submitted, action="wagtail.workflow.reject")
    assert entry.user == donghu_committee
