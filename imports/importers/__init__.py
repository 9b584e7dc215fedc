"""One bulk importer per register; ``IMPORTERS`` maps the kind to its class."""

from .cases import CaseImporter
from .grid_staff import GridStaffImporter
from .grids import GridImporter
from .regions import RegionImporter
from .volunteers import VolunteerImporter

IMPORTERS = {
    "grids": GridImporter,
    "volunteers": VolunteerImporter,
    "cases": CaseImporter,
    "grid_staff": GridStaffImporter,
    "regions": RegionImporter,
}


def importer_for(kind):
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValueError(f"未知的数据类型：{kind}（可选 grids、volunteers、cases）") from None
