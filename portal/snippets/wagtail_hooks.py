"""Admin wiring for the registers: menu, viewsets, audit-log labels, scoped bulk delete."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_scope import ScopedDeleteBulkAction
from .admin_views import ISSUE_CERTIFICATE_ACTION, VIEW_ID_NUMBER_ACTION
from .viewsets import RegisterViewSetGroup

register_snippet(RegisterViewSetGroup)


@hooks.register("register_log_actions")
def register_register_log_actions(actions):
    actions.register_action(VIEW_ID_NUMBER_ACTION, "查看完整身份证号", "查看了完整身份证号")
    actions.register_action(
        ISSUE_CERTIFICATE_ACTION, "出具志愿服务记录证明", "出具了志愿服务记录证明"
    )


# Runs after Wagtail's own registration (order) so that it replaces the
# unscoped bulk delete for the register models.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)
