"""Grid changes: routine edits go through, code/boundary/region changes wait for the town.

Village staff can edit grids but not publish them; they submit to the
"网格变更审核" workflow. The task approves itself unless a sensitive field
changed; then only an admin of the grid's own town may approve. The history
view shows who did what.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, ModelLogEntry, Page, WorkflowState

from portal import groups
from portal.snippets.grid_rules import sensitive_changes
from portal.snippets.models import Grid
from portal.snippets.models.workflow import AUTO_APPROVED_COMMENT

from .conftest import grid_form_data, login

pytestmark = pytest.mark.django_db


def edit_data(grid, **changes):
    return grid_form_data(grid, {"action-submit": "submit"}, **changes)


def edit_url(grid):
    return reverse("wagtailsnippets_snippets_grid:edit", args=[grid.pk])


def submit(client, grid, **changes):
    response = client.post(edit_url(grid), edit_data(grid, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return WorkflowState.objects.filter(object_id=str(grid.pk)).order_by("-created_at").first()


def test_sensitive_changes_lists_changed_fields(world):
    draft = Grid.objects.get(pk=world.grid_x.pk)
    assert sensitive_changes(world.grid_x, draft) == []
    draft.name = "改名"
    draft.households = 999
    assert sensitive_changes(world.grid_x, draft) == []
    draft.code = "411523001001099"
    draft.boundary = {"type": "Polygon", "coordinates": []}
    assert sensitive_changes(world.grid_x, draft) == ["网格编码", "边界（GeoJSON）"]


def test_village_staff_cannot_publish_directly(client, world):
    login(client, world.village_staff_x)
    data = edit_data(world.grid_x, name="东湖一网格（直接发布）")
    data.pop("action-submit")
    data["action-publish"] = "publish"
    client.post(edit_url(world.grid_x), data)
    world.grid_x.refresh_from_db()
    assert world.grid_x.name == "东湖第一网格"  # saved only as a draft


def test_routine_edit_is_auto_approved_and_published(client, world):
    login(client, world.village_staff_x)
    state = submit(client, world.grid_x, name="东湖第一网格（滨湖片）", households=460)
    assert state.status == WorkflowState.STATUS_APPROVED
    world.grid_x.refresh_from_db()
    assert world.grid_x.name == "东湖第一网格（滨湖片）"
    assert world.grid_x.households == 460
    approval = ModelLogEntry.objects.get(
        object_id=str(world.grid_x.pk), action="wagtail.workflow.approve"
    )
    # Approved by the rule, not by the submitter: the task state has no finisher and
    # the history entry carries the rule's comment.
    assert state.task_states.get().finished_by is None
    assert approval.data["comment"] == AUTO_APPROVED_COMMENT
    publish = ModelLogEntry.objects.get(object_id=str(world.grid_x.pk), action="wagtail.publish")
    assert publish.user == world.village_staff_x


def test_code_change_waits_for_the_towns_admin(client, world):
    login(client, world.village_staff_x)
    state = submit(client, world.grid_x, code="411523001001009")
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    world.grid_x.refresh_from_db()
    assert world.grid_x.code == "411523001001001"  # live grid unchanged until approved

    task_state = state.current_task_state
    action_url = reverse(
        "wagtailsnippets_snippets_grid:workflow_action",
        args=[world.grid_x.pk, "approve", task_state.pk],
    )
    # The submitter cannot approve; nor can another town's admin.
    client.post(action_url)
    login(client, world.town_admin_b)
    response = client.post(action_url)
    assert response.status_code in (403, 404)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    world.grid_x.refresh_from_db()
    assert world.grid_x.code == "411523001001001"

    # The grid's own town admin sees it awaiting review and approves it.
    login(client, world.town_admin_a)
    assert (
        task_state.task.specific.get_task_states_user_can_moderate(world.town_admin_a)
        .filter(pk=task_state.pk)
        .exists()
    )
    assert not task_state.task.specific.get_task_states_user_can_moderate(
        world.town_admin_b
    ).exists()
    response = client.post(action_url)
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    world.grid_x.refresh_from_db()
    assert world.grid_x.code == "411523001001009"

    history = client.get(
        reverse("wagtailsnippets_snippets_grid:history", args=[world.grid_x.pk])
    ).content.decode()
    assert world.village_staff_x.get_username() in history
    assert world.town_admin_a.get_username() in history


def test_region_move_needs_approval_too(client, world):
    login(client, world.town_admin_a)  # publishes directly: admins are the approvers
    data = edit_data(world.grid_x, region=world.y.pk)
    data.pop("action-submit")
    data["action-publish"] = "publish"
    assert client.post(edit_url(world.grid_x), data).status_code == 302
    world.grid_x.refresh_from_db()
    assert world.grid_x.region_id == world.y.pk

    login(client, world.village_staff_x)
    # grid_x is now in village Y, outside village X staff's scope.
    assert client.get(edit_url(world.grid_x)).status_code == 404


# --- workflow reports are region-scoped --------------------------------------------------

REPORTS = (
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
)


def _report_texts(client):
    texts = {}
    for name in REPORTS:
        for suffix in ("", "?export=csv"):
            response = client.get(reverse(name) + suffix)
            assert response.status_code == 200, (name, suffix, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            texts[name + suffix] = body.decode("utf-8-sig")
    return texts


def test_workflow_reports_show_only_the_users_regions(client, world):
    # A change waiting in town B (白沙) and one in town A (东湖).
    login(client, world.superuser)
    submit(client, world.grid_z, code="411523101201009", name="白沙第一网格（待审）")
    submit(client, world.grid_x, code="411523001001009", name="东湖第一网格（待审）")
    everything = _report_texts(client)
    assert all("白沙第一网格" in text and "东湖第一网格" in text for text in everything.values())

    # Village staff reach the reports through their board's page permissions, and
    # may edit grids: without the region rule they would read every town's changes.
    board = Page.objects.filter(depth=1).first()
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=groups.VILLAGE_STAFF),
        page=board,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    login(client, world.village_staff_x)
    for where, text in _report_texts(client).items():
        assert "东湖第一网格" in text, where
        assert "白沙第一网格" not in text, where
