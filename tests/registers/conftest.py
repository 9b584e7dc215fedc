"""Two towns with villages, grids, volunteers and staff users for the register tests.

Town A (青石街道) has villages X (东湖社区) and Y (西岭村); town B (白沙镇) has
village Z (白沙村). Users: a town admin of A, a town admin of B, a village staff
member of X, a grid worker of X, a superuser, and a staff user with no region.
"""

import datetime
from types import SimpleNamespace

import pytest

from portal import groups
from portal.snippets.models import Grid, GridStaff, VolunteerTeam
from portal.snippets.workflow_setup import ensure_grid_workflow
from tests.factories import (
    make_staff,
    published_grid,
    region_tree,
    sealed_volunteer,
    with_check_digit,
)

# The register tests' names for the shared builders (tests/factories.py).
make_grid = published_grid
make_volunteer = sealed_volunteer


def valid_id(seq, born=datetime.date(1985, 6, 15), male=True, area="411523"):
    """A valid ID number (correct checksum) distinct for each ``seq`` < 50."""
    gender = (2 * seq + 1) % 10 if male else (2 * seq) % 10
    return with_check_digit(f"{area}{born:%Y%m%d}{seq // 5 % 10}{seq % 10}{gender}")


def make_user(username, group_name=None, regions=(), superuser=False):
    return make_staff(
        username,
        [group_name] if group_name else [],
        regions,
        superuser=superuser,
        email=f"{username}@example.org",
    )


@pytest.fixture
def world(db):
    groups.ensure_groups()
    ensure_grid_workflow()
    tree = region_tree(
        other_town=("白沙镇", "411523101000"), other_village=("白沙村", "411523101201")
    )
    county, town_a, town_b = tree.county, tree.town, tree.other_town
    x, y, z = tree.donghu, tree.xiling, tree.baisha
    grid_x = make_grid(x, "411523001001001", "东湖第一网格", households=420)
    grid_y = make_grid(y, "411523001201001", "西岭第一网格", grid_type=Grid.GridType.RURAL)
    grid_z = make_grid(z, "411523101201001", "白沙第一网格", grid_type=Grid.GridType.RURAL)
    team_x = VolunteerTeam.objects.create(name="东湖巾帼志愿服务队", region=x)
    team_z = VolunteerTeam.objects.create(name="白沙青年志愿服务队", region=z)
    vol_x = make_volunteer(grid_x, "欧阳翊珩", valid_id(1), phone="13511112222")
    vol_y = make_volunteer(grid_y, "司马昀淼", valid_id(2), phone="13622223333")
    vol_z = make_volunteer(grid_z, "诸葛琛珂", valid_id(3), phone="15033334444")
    vol_x.teams.add(team_x)
    vol_z.teams.add(team_z)
    staff_x = GridStaff.objects.create(
        name="王建国", role=GridStaff.Role.FULL_TIME, work_phone="0376-6123456"
    )
    staff_x.grids.add(grid_x)
    staff_z = GridStaff.objects.create(
        name="李秀英", role=GridStaff.Role.LEADER, work_phone="13900001111"
    )
    staff_z.grids.add(grid_z)
    return SimpleNamespace(
        county=county,
        town_a=town_a,
        town_b=town_b,
        x=x,
        y=y,
        z=z,
        grid_x=grid_x,
        grid_y=grid_y,
        grid_z=grid_z,
        team_x=team_x,
        team_z=team_z,
        vol_x=vol_x,
        vol_y=vol_y,
        vol_z=vol_z,
        staff_x=staff_x,
        staff_z=staff_z,
        superuser=make_user("root", superuser=True),
        town_admin_a=make_user("town_a", groups.TOWN_ADMIN, [town_a]),
        town_admin_b=make_user("town_b", groups.TOWN_ADMIN, [town_b]),
        village_staff_x=make_user("village_x", groups.VILLAGE_STAFF, [x]),
        grid_worker_x=make_user("worker_x", groups.GRID_WORKER, [x]),
        no_region=make_user("nobody", groups.TOWN_ADMIN, []),
    )


def grid_form_data(grid, action, **changes):
    """POST data of the grid's admin edit form as it stands, ``action`` (e.g.
    ``{"action-submit": "submit"}``) and ``changes`` applied."""
    data = {
        "code": grid.code,
        "name": grid.name,
        "region": grid.region_id,
        "grid_type": grid.grid_type,
        "households": grid.households,
        "population": grid.population,
        "boundary": "null",
        "notes": grid.notes,
        **action,
    }
    data.update(changes)
    return data


def login(client, user):
    client.force_login(user)
    return client
