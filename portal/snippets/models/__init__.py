"""Register models: the administrative tree, grids and their staff, volunteers."""

from .grids import Grid, GridStaff
from .regions import Region, StaffRegion
from .volunteers import CertificateIssue, PointsEntry, ServiceRecord, Volunteer, VolunteerTeam
from .workflow import GridChangeApprovalTask

__all__ = [
    "CertificateIssue",
    "Grid",
    "GridChangeApprovalTask",
    "GridStaff",
    "PointsEntry",
    "Region",
    "ServiceRecord",
    "StaffRegion",
    "Volunteer",
    "VolunteerTeam",
]
