"""Who may edit, publish and approve which part of the page tree.

Wagtail already has the pieces: page permissions per group and subtree
(``GroupPagePermission``), and moderation workflows assigned to a subtree
(``WorkflowPage``) whose ``GroupApprovalTask`` names the groups that may approve.
This module only arranges them for the portal:

* 宣传编辑 (communications editors) may add and change any page under the home
  page and publish notices and policies, but hold **no publish permission on
  the disclosure indexes**. Their "publish" of a disclosure therefore only saves
  a draft; "submit for moderation" starts the village's workflow.
* Each village's disclosure index gets its own workflow "村务公开审核（<village>）"
  with one ``GroupApprovalTask`` naming that village's committee group
  ("东湖社区村务监督委员会"), so only that village's supervision committee can
  approve. Wagtail publishes an approved revision as the approving user and
  checks that user's publish permission, so each village committee group holds
  "publish" on its own village's index — and nothing else: no add/change, so
  a committee member cannot write the disclosure they approve, and no grant
  above the village, so one village's committee cannot publish another's.
  (Permissions are inherited down the tree, which is why disclosures live only
  under village indexes, never directly under the town's index.)
* The generic 村务监督委员会 group is the role (admin access, catalog view);
  committee members belong to it and to their village's group.

Both functions are idempotent; the demo loader and a fresh deployment call them.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.groups import EDITOR, GROUP_PERMISSIONS, SUPERVISION_COMMITTEE, ensure_groups

WORKFLOW_NAME = "村务公开审核"


def _page_permission(action):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


def _model_permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def committee_group_name(region):
    """The committee group of one village, e.g. 东湖社区村务监督委员会."""
    return f"{region.name}{SUPERVISION_COMMITTEE}"


def workflow_name(region):
    return f"{WORKFLOW_NAME}（{region.name}）"


def committee_group_for(region):
    """The group whose members approve ``region``'s disclosures (created if missing)."""
    group, created = Group.objects.get_or_create(name=committee_group_name(region))
    if created or not group.permissions.exists():
        group.permissions.add(
            *[_model_permission(p) for p in GROUP_PERMISSIONS[SUPERVISION_COMMITTEE]]
        )
    return group


def ensure_page_permissions(home=None):
    """Grant the editors' page permissions under the home page. Idempotent.

    A publish grant on the home page or a disclosure index would let editors
    skip the committee's review, so any such grant is removed.
    """
    from portal.pages.models import DisclosureIndexPage, HomePage

    ensure_groups()
    home = home or HomePage.objects.first()
    if home is None:
        return
    editor = Group.objects.get(name=EDITOR)
    for action in ("add", "change"):
        GroupPagePermission.objects.get_or_create(
            group=editor, page=home, permission=_page_permission(action)
        )
    publish = _page_permission("publish")
    disclosure_sections = DisclosureIndexPage.objects.descendant_of(home)
    GroupPagePermission.objects.filter(group=editor, permission=publish).filter(
        page__in=[home.pk, *disclosure_sections.values_list("pk", flat=True)]
    ).delete()
    for section in home.get_children().not_type(DisclosureIndexPage):
        GroupPagePermission.objects.get_or_create(group=editor, page=section, permission=publish)


def ensure_disclosure_workflows():
    """Give every village's disclosure index its committee's review workflow. Idempotent.

    Returns ``{index page id: workflow}``. Indexes of a town (or without a
    region) are skipped: they hold the village indexes, not disclosures.
    """
    from portal.pages.models import DisclosureIndexPage
    from portal.snippets.models import Region

    ensure_groups()
    publish = _page_permission("publish")
    assigned = {}
    indexes = DisclosureIndexPage.objects.filter(region__level=Region.Level.VILLAGE)
    for index in indexes.select_related("region").order_by("path"):
        region = index.region
        group = committee_group_for(region)
        GroupPagePermission.objects.get_or_create(group=group, page_id=index.pk, permission=publish)
        task = GroupApprovalTask.objects.filter(name=f"{group.name}审核").first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=f"{group.name}审核")
        task.groups.add(group)
        workflow, _ = Workflow.objects.get_or_create(name=workflow_name(region))
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
        )
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
        assigned[index.pk] = workflow
    return assigned
