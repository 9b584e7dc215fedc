"""Register models: the administrative tree, grids and their staff, volunteers."""

from .grids import Grid, GridStaff
from .regions import Region, StaffRegion
from .volunteers import PointsEntry, ServiceRecord, Volunteer, VolunteerTeam

__all__ = [
    "Grid",
    "GridStaff",
    "PointsEntry",
    "Region",
    "ServiceRecord",
    "StaffRegion",
    "Volunteer",
    "VolunteerTeam",
]
