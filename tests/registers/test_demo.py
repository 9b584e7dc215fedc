"""The register demo data: enough of everything, valid, deterministic and idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from demo import registers as demo
from portal.snippets import pii
from portal.snippets.models import (
    Grid,
    GridStaff,
    PointsEntry,
    ServiceRecord,
    StaffRegion,
    Volunteer,
    VolunteerTeam,
)
from portal.snippets.volunteering import annotate_totals, full_id_number

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    demo.load(out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Grid, GridStaff, Volunteer, VolunteerTeam, ServiceRecord, PointsEntry)
    }


def test_demo_registers():
    load()
    grids = list(Grid.objects.select_related("region"))
    assert len(grids) >= 30
    assert {g.region.name for g in grids} == {"东湖社区", "西岭村", "南坪村", "北塘社区"}
    for grid in grids:
        assert grid.code.startswith(grid.region.code) and len(grid.code) == 15
        assert grid.live
    assert sum(g.is_oversized for g in grids) >= 4

    roles = set(GridStaff.objects.values_list("role", flat=True))
    assert roles == {r.value for r in GridStaff.Role}
    instructor_grids = (
        GridStaff.objects.filter(role=GridStaff.Role.INSTRUCTOR)
        .annotate(n=Count("grids"))
        .values_list("n", flat=True)
    )
    assert max(instructor_grids) > 1
    assert not Grid.objects.filter(staff__isnull=True).exists()  # every grid has someone

    volunteers = list(Volunteer.objects.all())
    assert len(volunteers) >= 200
    names = [v.name for v in volunteers]
    assert len(set(names)) == len(names) and all(len(n) == 3 for n in names)
    staff_names = set(GridStaff.objects.values_list("name", flat=True))
    assert not staff_names & set(names)
    staff_phones = set(GridStaff.objects.values_list("work_phone", flat=True))
    assert not staff_phones & {v.phone for v in volunteers}
    for volunteer in volunteers:
        number = full_id_number(volunteer)
        assert pii.id_number_problem(number) is None
        assert volunteer.gender == pii.gender_from_id(number)
        assert volunteer.birth_date == pii.birth_date_from_id(number)
    assert VolunteerTeam.objects.count() >= 3
    assert ServiceRecord.objects.count() >= 200
    # No ledger is overdrawn.
    assert not annotate_totals(Volunteer.objects.all()).filter(points_total__lt=0).exists()

    for username in ("demo_town_admin", "demo_village_staff", "demo_grid_worker"):
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password()
        assert StaffRegion.objects.filter(user=user).exists()
        assert user.groups.exists()


def test_demo_is_idempotent_and_deterministic():
    load()
    first = counts()
    names = sorted(Volunteer.objects.values_list("name", flat=True))
    hashes = set(Volunteer.objects.values_list("id_number_hash", flat=True))
    load()
    assert counts() == first
    assert sorted(Volunteer.objects.values_list("name", flat=True)) == names
    assert set(Volunteer.objects.values_list("id_number_hash", flat=True)) == hashes
