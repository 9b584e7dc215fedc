"""One bulk importer per register; ``IMPORTERS`` maps the kind to its class."""

from .care_objects import CareObjectImporter
from .cases import CaseImporter
from .grid_staff import GridStaffImporter
from .grids import GridImporter
from .points import PointsImporter
from .regions import RegionImporter
from .service_records import ServiceRecordImporter
from .volunteers import VolunteerImporter

IMPORTERS = {
    "grids": GridImporter,
    "volunteers": VolunteerImporter,
    "cases": CaseImporter,
    "grid_staff": GridStaffImporter,
    "regions": RegionImporter,
    "services": ServiceRecordImporter,
    "points": PointsImporter,
    "care_objects": CareObjectImporter,
}

# Other names accepted on the command line and the API. (``ImportJob.kind`` holds
# at most 12 characters, hence the short ``services``.)
KIND_ALIASES = {"service_records": "services"}

# The permissions a user needs to import each kind (all of them).
KIND_PERMISSIONS = {
    "grids": ("snippets.add_grid", "snippets.change_grid"),
    "volunteers": ("snippets.add_volunteer", "snippets.change_volunteer"),
    "cases": ("cases.add_case", "cases.change_case"),
    "grid_staff": ("snippets.add_gridstaff", "snippets.change_gridstaff"),
    "regions": ("snippets.add_region", "snippets.change_region"),
    "services": ("snippets.add_servicerecord", "snippets.change_servicerecord"),
    "points": ("snippets.add_pointsentry", "snippets.view_volunteer"),
    "care_objects": ("care.add_careobject", "care.change_careobject"),
}


def importer_for(kind):
    kind = KIND_ALIASES.get(kind, kind)
    try:
        return IMPORTERS[kind]
    except KeyError:
        names = "、".join(IMPORTERS)
        raise ValueError(f"未知的数据类型：{kind}（可选 {names}）") from None


def kind_labels():
    """kind → Chinese label, for every kind there is an importer for."""
    from ..models import ImportJob

    labels = dict(ImportJob.Kind.choices)
    return {kind: str(labels.get(kind, kind)) for kind in IMPORTERS}


def kind_permissions(kind):
    return KIND_PERMISSIONS[KIND_ALIASES.get(kind, kind)]


def can_import(user, kind):
    return user.is_active and user.has_perms(kind_permissions(kind))


def importable_kinds(user):
    """The kinds ``user`` may import, in the order of ``IMPORTERS``."""
    return [kind for kind in IMPORTERS if can_import(user, kind)]
