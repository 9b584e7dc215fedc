"""Wagtail's workflow reports ("工作流" and "按任务"), limited to the user's regions.

Served ahead of Wagtail's own URLs (``portal/urls.py``) so that the listing,
its results fragment and its CSV/XLSX export all go through the same filter
(``history_scope.scope_workflow_states``); nothing else of the views changes.
"""

from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView

from .history_scope import scope_workflow_states


class ScopedWorkflowView(WorkflowView):
    def get_queryset(self):
        return scope_workflow_states(super().get_queryset(), self.request.user)


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        return scope_workflow_states(
            super().get_queryset(), self.request.user, prefix="workflow_state__"
        )
