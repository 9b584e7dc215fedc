"""Creates the grid change workflow ("网格变更审核") and assigns it to grids. Idempotent.

Called by the demo loader and by deployments after ``ensure_groups()``: the
approving group is the town admins (乡镇街道管理员), narrowed at review time to
those whose regions contain the grid.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

from portal.groups import TOWN_ADMIN

from .models import Grid, GridChangeApprovalTask

WORKFLOW_NAME = "网格变更审核"
TASK_NAME = "乡镇街道审核网格编码、边界、所属村社区变更"


def ensure_grid_workflow():
    town_admins, _ = Group.objects.get_or_create(name=TOWN_ADMIN)
    task = GridChangeApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GridChangeApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(town_admins)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    content_type = ContentType.objects.get_for_model(Grid)
    WorkflowContentType.objects.update_or_create(
        content_type=content_type, defaults={"workflow": workflow}
    )
    return workflow
