"""Two towns with villages, grids, volunteers and staff users for the register tests.

Town A (青石街道) has villages X (东湖社区) and Y (西岭村); town B (白沙镇) has
village Z (白沙村). Users: a town admin of A, a town admin of B, a village staff
member of X, a grid worker of X, a superuser, and a staff user with no region.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal import groups
from portal.snippets import pii
from portal.snippets.models import Grid, GridStaff, Region, StaffRegion, Volunteer, VolunteerTeam
from portal.snippets.workflow_setup import ensure_grid_workflow


def valid_id(seq, born=datetime.date(1985, 6, 15), male=True, area="411523"):
    """A valid ID number (correct checksum) distinct for each ``seq`` < 50."""
    gender = (2 * seq + 1) % 10 if male else (2 * seq) % 10
    first17 = f"{area}{born:%Y%m%d}{seq // 5 % 10}{seq % 10}{gender}"
    return first17 + pii.id_check_code(first17)


def make_volunteer(grid, name, id_number, phone="13512345678", **extra):
    volunteer = Volunteer(name=name, grid=grid, phone=phone, **extra)
    for field, value in pii.sealed_id_fields(id_number).items():
        setattr(volunteer, field, value)
    volunteer.gender = volunteer.gender or pii.gender_from_id(id_number)
    volunteer.birth_date = volunteer.birth_date or pii.birth_date_from_id(id_number)
    volunteer.save()
    return volunteer


def make_grid(region, code, name, households=300, grid_type=Grid.GridType.URBAN):
    now = timezone.now()
    return Grid.objects.create(
        code=code,
        name=name,
        region=region,
        grid_type=grid_type,
        households=households,
        population=households * 3,
        live=True,
        first_published_at=now,
        last_published_at=now,
    )


def make_user(username, group_name=None, regions=(), superuser=False):
    user_model = get_user_model()
    if superuser:
        return user_model.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = user_model.objects.create_user(username, f"{username}@example.org", "pw")
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    for region in regions:
        StaffRegion.objects.create(user=user, region=region)
    return user


@pytest.fixture
def world(db):
    groups.ensure_groups()
    ensure_grid_workflow()
    county = Region.objects.create(name="清河县", level=Region.Level.COUNTY, code="411523000000")
    town_a = Region.objects.create(
        name="青石街道", level=Region.Level.TOWN, parent=county, code="411523001000"
    )
    town_b = Region.objects.create(
        name="白沙镇", level=Region.Level.TOWN, parent=county, code="411523101000"
    )
    x = Region.objects.create(
        name="东湖社区", level=Region.Level.VILLAGE, parent=town_a, code="411523001001"
    )
    y = Region.objects.create(
        name="西岭村", level=Region.Level.VILLAGE, parent=town_a, code="411523001201"
    )
    z = Region.objects.create(
        name="白沙村", level=Region.Level.VILLAGE, parent=town_b, code="411523101201"
    )
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


def login(client, user):
    client.force_login(user)
    return client
