"""Admin wiring for the project itself: the 首次设置 (first-run) page."""

from wagtail import hooks

from . import first_run_views


@hooks.register("register_admin_urls")
def register_first_run_urls():
    return first_run_views.urlpatterns


@hooks.register("register_admin_menu_item")
def register_first_run_menu_item():
    return first_run_views.menu_item()


@hooks.register("construct_homepage_panels")
def add_first_run_panel(request, panels):
    first_run_views.add_first_run_panel(request, panels)
