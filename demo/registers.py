"""Demo data for the registers. Called by ``load_demo_data``.

Order matters: groups and the grid workflow first (demo users join groups),
then regions, grids and staff, volunteers, and the staff accounts.
"""

from demo import grids as demo_grids
from demo import regions as demo_regions
from demo import users as demo_users
from demo import volunteers as demo_volunteers
from portal.groups import ensure_groups
from portal.snippets.workflow_setup import ensure_grid_workflow


def load(stdout):
    ensure_groups()
    ensure_grid_workflow()
    demo_regions.load(stdout)
    demo_grids.load(stdout)
    demo_volunteers.load(stdout)
    demo_users.load(stdout)
