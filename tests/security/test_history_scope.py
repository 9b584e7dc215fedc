"""The audit log is limited to the reader's regions: site history (list, results,
filters, CSV/XLSX export) and the per-object history views.

World (tests/registers/conftest.py): town A (青石街道) has villages X (东湖社区) and
Y (西岭村); town B (白沙镇) has village Z (白沙村). Log entries are written for a
volunteer, a grid, a case and a disclosure board page of each of X, Y and Z, a
full-ID view of each volunteer, and one entry about a user account that no
region claims.
"""

import csv
import datetime
import io
import secrets

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from portal.cases.models import Case, CaseCategory
from portal.pages.disclosures.models import DisclosureIndexPage
from portal.snippets.admin_views import VIEW_ID_NUMBER_ACTION
from portal.snippets.models import Volunteer
from tests.registers.conftest import login, make_user, world  # noqa: F401

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"
RESULTS = "/admin/reports/site-history/results/"
UNPLACED_LABEL = "账号日志标记甲"
DELETED_LABEL = "已删除志愿者标记乙"


def _case(grid, number):
    category, _ = CaseCategory.objects.get_or_create(
        code="sanitation", defaults={"name": "环境卫生", "deadline_days": 7}
    )
    now = timezone.now()
    return Case.objects.create(
        number=number,
        title=f"案件标题{grid.region.name}",
        description="描述",
        category=category,
        source=Case.Source.GRID_WORKER,
        grid=grid,
        village=grid.region,
        reported_at=now,
        deadline=now + datetime.timedelta(days=7),
    )


@pytest.fixture
def logged(world):  # noqa: F811
    """One set of log entries per village, written by the superuser."""
    root = Page.get_first_root_node()
    actor = world.superuser
    marks = {}
    for key, region, grid, volunteer in (
        ("x", world.x, world.grid_x, world.vol_x),
        ("y", world.y, world.grid_y, world.vol_y),
        ("z", world.z, world.grid_z, world.vol_z),
    ):
        board = root.add_child(
            instance=DisclosureIndexPage(
                title=f"{region.name}村务公开栏{key}", slug=f"board-{key}", region=region
            )
        )
        case = _case(grid, f"AJ2026{ord(key):06d}")
        log(instance=volunteer, action="wagtail.edit", user=actor)
        log(instance=volunteer, action=VIEW_ID_NUMBER_ACTION, user=actor, data={"m": 1})
        log(instance=grid, action="wagtail.edit", user=actor)
        log(instance=case, action="wagtail.create", user=actor)
        log(instance=board, action="wagtail.edit", user=actor)
        marks[key] = {
            "volunteer": volunteer.name,
            "grid": grid.name,
            "case": case.number,
            "board": board.title,
        }
    # An entry about a user account: no region claims it.
    unplaced_user = make_user("account-log-target")
    log(instance=unplaced_user, action="wagtail.edit", user=actor, title=UNPLACED_LABEL)
    # An entry about a volunteer since deleted: it can no longer be placed either.
    gone = Volunteer.objects.create(name="删除志愿者", grid=world.grid_z)
    log(instance=gone, action="wagtail.edit", user=actor, title=DELETED_LABEL)
    gone.delete()
    world.county_admin = make_user("county", "区县管理员", [world.county])
    world.marks = marks
    return world


def _strings(marks):
    return [value for value in marks.values()]


def _export_text(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8"))))
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(value) for value in row if value is not None)
    return "\n".join(cells)


def _views(client, user):
    """Every way to read the site history, as (name, text)."""
    login(client, user)
    ct_volunteer = ContentType.objects.get_for_model(Volunteer)
    out = []
    for name, url in (
        ("list", SITE_HISTORY),
        ("results", RESULTS),
        ("action filter", f"{SITE_HISTORY}?action=wagtail.edit"),
        ("id-view filter", f"{RESULTS}?action={VIEW_ID_NUMBER_ACTION}"),
        ("label filter", f"{RESULTS}?label=%E5%8F%B8%E9%A9%AC"),
        ("type filter", f"{RESULTS}?object_type={ct_volunteer.pk}"),
        ("user filter", f"{RESULTS}?user={user.pk}"),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403), (name, response.status_code)
        out.append((name, response.content.decode()))
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{SITE_HISTORY}?export={fmt}")
        assert response.status_code in (200, 403), (fmt, response.status_code)
        out.append((fmt, _export_text(response) if response.status_code == 200 else ""))
    return out


# (reader, villages whose entries must not appear, villages whose entries must appear)
MATRIX = [
    ("village_staff_x", ["y", "z"], ["x"]),
    ("grid_worker_x", ["y", "z"], []),
    ("town_admin_b", ["x", "y"], ["z"]),
    ("town_admin_a", ["z"], ["x", "y"]),
]


@pytest.mark.parametrize(("reader", "hidden", "shown"), MATRIX)
def test_site_history_is_limited_to_the_readers_regions(client, logged, reader, hidden, shown):
    user = getattr(logged, reader)
    views = _views(client, user)
    for name, text in views:
        for key in hidden:
            for value in _strings(logged.marks[key]):
                assert value not in text, f"{reader} 在 {name} 中看到了 {key} 的 {value}"
        for label in (UNPLACED_LABEL, DELETED_LABEL):
            assert label not in text, f"{reader} 在 {name} 中看到了无法归属的日志"
    listing = dict(views)["list"]
    for key in shown:
        # Entries of the reader's own regions stay visible (the filter is not "show nothing").
        assert logged.marks[key]["volunteer"] in listing or reader == "grid_worker_x"
    csv_text = dict(views)["csv"]
    for key in shown:
        assert logged.marks[key]["grid"] in csv_text


def test_filter_choices_name_no_other_regions_user(client, logged):
    """The user filter offers only people with visible entries."""
    stranger = make_user(f"zz-writer-{secrets.token_hex(3)}", "乡镇街道管理员", [logged.town_b])
    log(instance=logged.vol_z, action="wagtail.edit", user=stranger)
    login(client, logged.village_staff_x)
    page = client.get(SITE_HISTORY).content.decode()
    assert stranger.username not in page


@pytest.mark.parametrize("reader", ["superuser", "county_admin"])
def test_superuser_and_county_see_everything(client, logged, reader):
    views = dict(_views(client, getattr(logged, reader)))
    for key in ("x", "y", "z"):
        assert logged.marks[key]["volunteer"] in views["list"]
        assert logged.marks[key]["case"] in views["csv"]
        if reader == "superuser":  # the county admin holds no page permissions
            assert logged.marks[key]["board"] in views["csv"]
    # Entries no region claims: for superusers and county staff (who hold the model permission).
    assert DELETED_LABEL in views["list"]
    assert (UNPLACED_LABEL in views["list"]) == (reader == "superuser")


def test_per_object_history_of_another_region_is_404(client, logged):
    login(client, logged.village_staff_x)
    own = client.get(reverse("wagtailsnippets_snippets_volunteer:history", args=[logged.vol_x.pk]))
    assert own.status_code == 200
    assert logged.vol_x.name in own.content.decode()
    for model, obj in (("volunteer", logged.vol_y), ("volunteer", logged.vol_z)):
        response = client.get(reverse(f"wagtailsnippets_snippets_{model}:history", args=[obj.pk]))
        assert response.status_code == 404
        assert obj.name not in response.content.decode()
    grid = client.get(reverse("wagtailsnippets_snippets_grid:history", args=[logged.grid_z.pk]))
    assert grid.status_code == 404
    case_z = Case.objects.get(village=logged.z)
    response = client.get(f"/admin/cases/case/history/{case_z.pk}/")
    assert response.status_code in (403, 404)
    assert case_z.number not in response.content.decode()


def test_page_history_of_another_villages_board_is_refused(client, logged):
    board_z = DisclosureIndexPage.objects.get(region=logged.z)
    for reader in ("village_staff_x", "grid_worker_x", "town_admin_a"):
        login(client, getattr(logged, reader))
        response = client.get(reverse("wagtailadmin_pages:history", args=[board_z.pk]))
        assert response.status_code in (302, 403, 404), reader
        assert board_z.title not in response.content.decode()
