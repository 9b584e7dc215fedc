"""One door: a row through the importer is stored exactly as the admin's own path stores it.

If the importer sealed ID numbers, derived fields, defaulted a closed case's
办结时间, computed a deadline or started the event log in a way of its own, the
two records below would differ.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from imports.importers.cases import CaseImporter
from imports.importers.volunteers import VolunteerImporter
from portal.cases import services
from portal.cases.models import Case, CaseEvent
from portal.snippets.models import Volunteer, VolunteerTeam
from portal.snippets.volunteering import full_id_number

from .conftest import GRID_EAST, VOLUNTEER_HEADER, make_id, volunteer_row, write_xlsx

pytestmark = pytest.mark.django_db

VOLUNTEER_FIELDS = (
    "name", "gender", "birth_date", "phone", "political_status", "grid_id", "registration_date",
    "active", "notes", "id_number_hash", "id_number_masked",
)  # fmt: skip


def stored_volunteer(volunteer):
    volunteer.refresh_from_db()
    values = {name: getattr(volunteer, name) for name in VOLUNTEER_FIELDS}
    values["id_number"] = full_id_number(volunteer)  # the ciphertext itself is random per seal
    values["teams"] = sorted(volunteer.teams.values_list("name", flat=True))
    values["skills"] = sorted(volunteer.skills.names())
    return values


def test_volunteer_through_admin_form_and_importer_is_stored_the_same(
    client, grids, superuser, tmp_path
):
    team = VolunteerTeam.objects.create(name="青石志愿服务队", region=grids["east"].region.parent)
    number = make_id("19881231", "452")  # even 17th digit: female, derived in both paths
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailsnippets_snippets_volunteer:add"),
        {
            "name": "李四",
            "id_number": number.lower()[:-1] + number[-1].lower(),
            "gender": "",
            "birth_date": "",
            "phone": "138-0013-8000",
            "political_status": "cpc",
            "grid": grids["east"].pk,
            "teams": [team.pk],
            "skills": "医疗, 法律",
            "registration_date": "2023-05-01",
            "active": "on",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    through_admin = stored_volunteer(Volunteer.objects.get(name="李四"))
    Volunteer.objects.all().delete()

    rows = [
        VOLUNTEER_HEADER,
        volunteer_row(
            1,
            "李 四",
            number,
            phone="138-0013-8000",
            **{"政治面貌": "中共党员", "累计服务时长（小时）": ""},
        ),
    ]
    result = VolunteerImporter(None).run(write_xlsx(tmp_path / "roster.xlsx", rows))
    assert result.imported, [str(e) for e in result.errors]
    through_import = stored_volunteer(Volunteer.objects.get())

    assert through_import == through_admin
    assert through_import["gender"] == "F"
    assert through_import["birth_date"] == datetime.date(1988, 12, 31)


def test_volunteer_importer_refuses_what_the_admin_helper_refuses(grids, tmp_path):
    """A number already registered is refused by the importer's look-up, not re-sealed."""
    number = make_id("19900307", "451")
    rows = [VOLUNTEER_HEADER, volunteer_row(1, "张三", number)]
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    assert VolunteerImporter(None).run(path).imported
    sealed = Volunteer.objects.values_list("id_number_encrypted", flat=True).get()
    again = VolunteerImporter(None).run(path)
    assert again.counts["unchanged"] == 1
    # unchanged rows are not re-encrypted (the ciphertext would differ: random nonce)
    assert Volunteer.objects.values_list("id_number_encrypted", flat=True).get() == sealed


CASE_FIELDS = (
    "number", "title", "description", "category_id", "source", "grid_id", "village_id", "place",
    "reported_at", "deadline", "status", "resolution", "closed_at", "satisfaction", "is_public",
    "public_summary", "reporter_name", "reporter_phone", "handler_unit", "tier",
)  # fmt: skip
EVENT_FIELDS = ("action", "from_status", "to_status", "from_tier", "to_tier")


def stored_case(number):
    case = Case.objects.get(number=number)
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    event = CaseEvent.objects.get(case=case)
    values["event"] = {name: getattr(event, name) for name in EVENT_FIELDS}
    return values


def test_case_through_case_service_and_importer_is_stored_the_same(grids, categories, tmp_path):
    reported = timezone.make_aware(datetime.datetime(2025, 3, 1, 9, 30))
    services.create_case(
        user=None,
        number="AJ2025000007",
        title="楼道漏水",
        description="邻里因漏水发生纠纷",
        category=categories["dispute"],
        source=Case.Source.GRID_WORKER,
        grid=grids["east"],
        place="3号楼",
        reported_at=reported,
        status=Case.Status.CLOSED,  # no 办结时间 given: the service's default applies
        resolution="已调解",
        reporter_name="王五",
        reporter_phone="138 0013 8000",
        tier=Case.Tier.GRID,
    )
    through_service = stored_case("AJ2025000007")
    Case.objects.all().delete()

    header = [
        "案件编号", "标题", "事件描述", "事件类别", "事件来源", "所属网格", "发生地点", "上报时间",
        "当前状态", "处置结果", "反映人", "反映人电话",
    ]  # fmt: skip
    row = [
        "AJ2025000007", "楼道漏水", "邻里因漏水发生纠纷", "矛盾纠纷", "网格员上报", GRID_EAST,
        "3号楼", "2025-03-01 09:30", "办结", "已调解", "王五", "138 0013 8000",
    ]  # fmt: skip
    result = CaseImporter(None).run(write_xlsx(tmp_path / "cases.xlsx", [header, row]))
    assert result.imported, [str(e) for e in result.errors]
    through_import = stored_case("AJ2025000007")

    assert through_import == through_service
    assert through_import["closed_at"] == reported
    assert through_import["deadline"] == reported + datetime.timedelta(days=15)
    assert through_import["reporter_phone"] == "13800138000"
    assert through_import["event"]["action"] == CaseEvent.Action.IMPORT
