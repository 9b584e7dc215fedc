"""The staff roles (Django groups) and the model permissions each one holds.

One declarative table so that the demo loader, a fresh deployment and the tests
all create the same groups. Page permissions (who may edit or publish which
part of the page tree) are granted where the page tree is built, in
``portal.pages.permissions``.
"""

from django.contrib.auth.models import Group, Permission

COUNTY_ADMIN = "区县管理员"
TOWN_ADMIN = "乡镇街道管理员"
VILLAGE_STAFF = "村社区工作人员"
GRID_WORKER = "网格员"
SUPERVISION_COMMITTEE = "村务监督委员会"
EDITOR = "宣传编辑"

ALL_GROUPS = [COUNTY_ADMIN, TOWN_ADMIN, VILLAGE_STAFF, GRID_WORKER, SUPERVISION_COMMITTEE, EDITOR]

_REGISTER_MODELS = [
    "grid",
    "gridstaff",
    "volunteer",
    "volunteerteam",
    "servicerecord",
    "pointsentry",
]


def _crud(app, models, actions=("add", "change", "delete", "view")):
    return [f"{app}.{action}_{model}" for model in models for action in actions]


# Grids have revisions and a workflow (see portal.snippets.models.workflow):
# publishing a grid directly is the approval, so only admins hold it; village
# staff edit and submit, and the workflow decides whether a town admin must look.
_GRID_APPROVER = ["snippets.publish_grid", "snippets.lock_grid", "snippets.unlock_grid"]


# Care registers (关爱对象, 走访, 巡查): sensitive; scoped like every register.
_CARE_WORK = [
    "care.view_careobject",
    "care.view_visit",
    "care.add_visit",
    "care.view_round",
    "care.add_round",
]
_CARE_ADMIN = [
    *_crud("care", ["careobject", "visit", "round", "visitcadence", "gridrankingweights"]),
    "care.view_full_id_number",
    "care.view_visitwarning",
]

# Admins script imports and read-outs with Wagtail's own API tokens.
_API_TOKENS = _crud("wagtailcore", ["apitoken"])

GROUP_PERMISSIONS = {
    COUNTY_ADMIN: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        *_crud("snippets", ["region", "staffregion", *_REGISTER_MODELS]),
        *_GRID_APPROVER,
        "snippets.view_certificateissue",
        "snippets.view_full_id_number",
        *_CARE_ADMIN,
        *_crud("cases", ["case", "casecategory"]),
        "cases.transition_case",
        *_crud("pages", ["disclosurecatalogitem"]),
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
    ],
    TOWN_ADMIN: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        "snippets.view_region",
        *_crud("snippets", ["staffregion", *_REGISTER_MODELS]),
        *_GRID_APPROVER,
        "snippets.view_certificateissue",
        "snippets.view_full_id_number",
        *_CARE_ADMIN,
        *_crud("cases", ["case"]),
        "cases.view_casecategory",
        "cases.transition_case",
        *_crud("pages", ["disclosurecatalogitem"]),
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
    ],
    VILLAGE_STAFF: [
        "wagtailadmin.access_admin",
        "snippets.view_region",
        *_crud("snippets", ["volunteer", "volunteerteam", "servicerecord", "pointsentry"]),
        "snippets.view_grid",
        "snippets.change_grid",
        "snippets.view_gridstaff",
        "snippets.view_certificateissue",
        *_CARE_WORK,
        *_crud("care", ["careobject"], ("add", "change")),
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        "cases.view_casecategory",
        "cases.transition_case",
        "wagtaildocs.add_document",
        "wagtailimages.add_image",
    ],
    GRID_WORKER: [
        "wagtailadmin.access_admin",
        "snippets.view_grid",
        "snippets.view_gridstaff",
        "snippets.view_volunteer",
        *_CARE_WORK,
        "cases.view_case",
        "cases.add_case",
        "cases.view_casecategory",
        "cases.transition_case",
    ],
    SUPERVISION_COMMITTEE: [
        "wagtailadmin.access_admin",
        "pages.view_disclosurecatalogitem",
    ],
    EDITOR: [
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
}


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups():
    """Create the six groups and grant their model permissions. Idempotent; adds only."""
    groups = {}
    for name in ALL_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [_permission(p) for p in GROUP_PERMISSIONS.get(name, [])]
        group.permissions.add(*wanted)
        groups[name] = group
    return groups
