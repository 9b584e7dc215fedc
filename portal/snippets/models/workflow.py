"""The approval step for grid changes that move a grid on the map.

Why a custom task rather than a plain ``GroupApprovalTask``: the requirement is
that only changes to a grid's code, boundary or region wait for the town's
admins; names and household counts are routine and go straight through. The
task therefore approves itself when the submitted revision leaves those fields
as they are live, and otherwise waits like a group approval task. Reviewers
must also have the grid's region in their scope: a town admin approves the
grids of their own town only.
"""

from wagtail.models import AbstractGroupApprovalTask, TaskState

AUTO_APPROVED_COMMENT = "未改动网格编码、边界或所属村（社区），自动通过"


class GridChangeApprovalTask(AbstractGroupApprovalTask):
    class Meta:
        verbose_name = "网格关键信息变更审核"
        verbose_name_plural = "网格关键信息变更审核"

    @classmethod
    def get_description(cls):
        return "网格编码、边界或所属村（社区）有变动时，由所选用户组中辖区内的成员审核；其他改动自动通过"

    def start(self, workflow_state, user=None):
        from ..grid_rules import sensitive_changes

        task_state = super().start(workflow_state, user=user)
        live = workflow_state.content_object
        if not sensitive_changes(live, task_state.revision.as_object()):
            # Approved by the system (user=None) so the history does not show
            # the submitter approving their own change.
            task_state.approve(user=None, update=False, comment=AUTO_APPROVED_COMMENT)
        return task_state

    def _reviewer_in_scope(self, obj, user):
        # Imported here: the scope helpers import the models package, which imports this.
        from ..scope import region_in_scope

        return user.is_superuser or region_in_scope(user, getattr(obj, "region_id", None))

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self._reviewer_in_scope(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self._reviewer_in_scope(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and self._reviewer_in_scope(obj, user)

    def get_actions(self, obj, user):
        if not self._reviewer_in_scope(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from ..scope import ALL, region_ids_in_scope

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        scope = region_ids_in_scope(user)
        if scope is ALL:
            return states
        from .grids import Grid

        grid_ids = [
            str(pk) for pk in Grid.objects.filter(region_id__in=scope).values_list("pk", flat=True)
        ]
        if not grid_ids:
            return TaskState.objects.none()
        return states.filter(workflow_state__object_id__in=grid_ids)
