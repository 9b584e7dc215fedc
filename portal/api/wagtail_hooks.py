"""Admin wiring: Wagtail's own API token management pages.

Wagtail 8 registers its token views only when its API v3 app is installed; the
portal serves its JSON through DRF instead of API v3, so the viewset is
registered here (once) to give staff the create / show-once / revoke pages.
"""

from django.apps import apps
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    if apps.is_installed("wagtail.api.v3"):
        return []  # Wagtail registers it itself
    from wagtail.users.views.api_tokens import APITokenViewSet

    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


@hooks.register("register_admin_viewset")
def register_open311_key_viewset():
    from portal.api.open311.admin_views import Open311KeyViewSet

    return Open311KeyViewSet("open311_keys", url_prefix="open311-keys")


@hooks.register("register_log_actions")
def register_open311_key_log_actions(actions):
    from portal.api.open311.keys import REVOKE_ACTION

    actions.register_action(REVOKE_ACTION, "吊销 Open311 接口密钥", "吊销了 Open311 接口密钥")
