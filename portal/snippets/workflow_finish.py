"""What happens when a workflow finishes (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail's default publishes the latest revision as the user who completed the
last step, checking that user's publish permission. For a grid the completed
workflow *is* the authorisation: a routine edit passed by the rule
(``GridChangeApprovalTask``) completes as the village staff member who
submitted it, who deliberately lacks ``publish_grid``. So grids publish without
the permission check; every other model keeps Wagtail's behaviour unchanged.
"""

from wagtail.workflows import publish_workflow_state as wagtail_publish_workflow_state


def publish_workflow_state(workflow_state, user=None):
    from .models import Grid

    content_object = workflow_state.content_object
    if isinstance(content_object, Grid):
        content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
        return
    wagtail_publish_workflow_state(workflow_state, user=user)
