"""Review before publication, through the real admin views with the test client.

An editor cannot publish a disclosure; submitting starts the village's workflow;
only a member of that village's 村务监督委员会 can approve, and the approval is
recorded and shown on the public page.
"""

import pytest
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowState

from portal.pages.models import DisclosurePage, NoticeIndexPage
from portal.pages.permissions import ensure_disclosure_workflows

from .conftest import add_url, edit_url, form_data

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def approve_url(page, task_state, action="approve"):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def test_editor_publish_only_saves_a_draft(client, editor, tree):
    login(client, editor)
    response = client.post(add_url(tree["东湖社区"]), {**form_data(), "action-publish": "1"})
    assert response.status_code == 302
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert not page.live
    assert page.live_revision is None
    assert public_status(client, page) == 404


def test_editor_cannot_publish_an_existing_draft_either(client, editor, make_disclosure):
    page = make_disclosure(live=False, title="草稿", slug="meeting-2026-q3", owner=editor)
    login(client, editor)
    response = client.post(edit_url(page), {**form_data(title="草稿"), "action-publish": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision() is not None  # the edit was kept as a draft


def test_editor_may_publish_notices_but_not_disclosures(editor, tree, home):
    notices = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    from portal.pages.permissions import ensure_page_permissions

    ensure_page_permissions(home)
    assert notices.permissions_for_user(editor).can_publish()
    assert tree["东湖社区"].permissions_for_user(editor).can_add_subpage()
    assert not tree["东湖社区"].permissions_for_user(editor).can_publish()
    assert not tree["town"].permissions_for_user(editor).can_publish()


def test_submit_starts_the_villages_workflow(submitted):
    state = WorkflowState.objects.for_instance(submitted).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "村务公开审核（东湖社区）"
    assert list(state.current_task_state.task.specific.groups.values_list("name", flat=True)) == [
        "东湖社区村务监督委员会"
    ]
    submitted.refresh_from_db()
    assert not submitted.live


def test_another_villages_committee_cannot_approve(client, submitted, xiling_committee):
    state = WorkflowState.objects.for_instance(submitted).get()
    login(client, xiling_committee)
    response = client.post(approve_url(submitted, state.current_task_state), {"comment": ""})
    assert_denied(response)
    submitted.refresh_from_db()
    assert not submitted.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_editor_cannot_approve_their_own_submission(client, submitted, editor):
    state = WorkflowState.objects.for_instance(submitted).get()
    login(client, editor)
    response = client.post(approve_url(submitted, state.current_task_state), {"comment": ""})
    assert_denied(response)
    submitted.refresh_from_db()
    assert not submitted.live


def test_village_committee_member_approves_and_it_goes_live(client, submitted, donghu_committee):
    state = WorkflowState.objects.for_instance(submitted).get()
    login(client, donghu_committee)
    response = client.post(
        approve_url(submitted, state.current_task_state), {"comment": "内容属实，同意公开"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    approval = DisclosurePage.objects.get(pk=submitted.pk).approval
    assert approval.approver_name == "陈立新"
    assert approval.comment == "内容属实，同意公开"

    client.logout()
    html = client.get(submitted.url).content.decode()
    assert "审核人：" in html and "陈立新" in html
    assert "东湖社区村务监督委员会审核" in html


def test_rejected_disclosure_stays_offline(client, submitted, donghu_committee):
    state = WorkflowState.objects.for_instance(submitted).get()
    login(client, donghu_committee)
    client.post(approve_url(submitted, state.current_task_state, "reject"), {"comment": "金额有误"})
    submitted.refresh_from_db()
    assert not submitted.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert DisclosurePage.objects.get(pk=submitted.pk).approval is None


def test_page_without_approval_says_so(client, make_disclosure):
    page = make_disclosure()
    assert "暂无审核记录" in client.get(page.url).content.decode()


def test_ensure_disclosure_workflows_is_idempotent(tree):
    counts = (
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    ensure_disclosure_workflows()
    ensure_disclosure_workflows()
    assert (
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    ) == counts
    for village in ("东湖社区", "西岭村"):
        workflow = tree[village].get_workflow()
        assert workflow.name == f"村务公开审核（{village}）"
        [task] = workflow.tasks.specific()
        assert [g.name for g in task.groups.all()] == [f"{village}村务监督委员会"]
    # the town's index holds village indexes, not disclosures: no committee of its own
    assert not WorkflowPage.objects.filter(page=tree["town"]).exists()


def public_status(client, page):
    client.logout()
    return client.get(page.url).status_code if page.url else 404


def assert_denied(response):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")
