"""A town's own grid register on an empty install (migrate only): the county comes from the sheet."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.importers.grids import GridImporter
from imports.models import ImportJob
from portal.groups import TOWN_ADMIN, ensure_groups
from portal.snippets.models import Grid, Region

from .conftest import write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "网格编码", "网格名称", "所属乡镇（街道）", "所属村（社区）", "网格类型",
          "户数", "人口数", "网格长", "网格长电话", "专职网格员"]  # fmt: skip

TOWNS = {"五星街道": "411502001", "东双河镇": "411502101", "谭家河乡": "411502201"}


def register_rows(title="浉河区网格基础信息台账", unit="填报单位：浉河区委政法委（盖章）"):
    """What a county office sends: title, 填报单位 line, header, 3 towns × 2 villages × 2 grids."""
    rows = []
    if title:
        rows.append([title])
    if unit:
        rows.append([unit, None, None, None, None, None, None, None, "填报日期：2026年11月30日"])
    rows.append(HEADER)
    seq = 0
    for town, town_code in TOWNS.items():
        for v in (1, 2):
            village = f"{town[:2]}{v}村" if town.endswith("乡") else f"{town[:2]}{v}社区"
            for g in (1, 2):
                seq += 1
                code = f"{town_code}{v:03d}{g:03d}"
                rows.append([seq, code, f"{village}第{g}网格", town, village, "", 260, 800,
                             f"网格长{seq}", f"139001390{seq:02d}", f"网格员{seq}"])  # fmt: skip
    rows.append(["合计", None, None, None, None, None, 260 * seq, 800 * seq])
    return rows


def run(path, user=None, **kwargs):
    return GridImporter(user, **kwargs).run(path)


def test_county_is_proposed_from_title_and_codes_then_created_with_towns_and_villages(tmp_path):
    assert not Region.objects.exists()
    path = write_xlsx(tmp_path / "浉河区网格台账.xlsx", register_rows(), merges=["A1:K1"])
    preview = run(path, dry_run=True)
    assert preview.ok, preview.errors
    assert preview.counts["new"] == 12
    county = preview.new_regions[0]
    assert county == {"name": "浉河区", "level": "区县", "parent": "（最上级）", "code": "411502"}
    towns = [r for r in preview.new_regions if r["level"] == "乡镇（街道）"]
    assert {(t["name"], t["code"], t["parent"]) for t in towns} == {
        (name, code, "浉河区") for name, code in TOWNS.items()
    }
    villages = [r for r in preview.new_regions if r["level"] == "村（社区）"]
    assert len(villages) == 6 and ("五星1社区", "411502001001") in {
        (v["name"], v["code"]) for v in villages
    }
    assert not Region.objects.exists()  # nothing written by the preview

    result = run(path)
    assert result.imported and result.counts["new"] == 12
    root = Region.objects.get(parent__isnull=True)
    assert (root.name, root.code, root.level) == ("浉河区", "411502000000", Region.Level.COUNTY)
    town = Region.objects.get(name="东双河镇")
    assert town.parent == root and town.code == "411502101000"
    village = Region.objects.get(name="东双2社区")
    assert village.parent == town and village.code == "411502101002"
    assert Grid.objects.get(code="411502101002001").region == village
    assert Region.objects.count() == 1 + 3 + 6

    again = run(path)
    assert again.imported and again.counts["unchanged"] == 12 and not again.new_regions
    assert Region.objects.count() == 10


def test_name_from_the_filing_unit_line_when_there_is_no_title(tmp_path):
    rows = register_rows(title="", unit="填报单位：浉河区委政法委")
    path = write_xls(tmp_path / "台账.xls", rows)
    result = run(path)
    assert result.imported, result.errors
    assert Region.objects.get(parent__isnull=True).name == "浉河区"


def test_without_any_title_a_provisional_name_is_proposed_and_said(tmp_path):
    path = write_csv(tmp_path / "grids.csv", register_rows(title="", unit=""), encoding="gb18030")
    preview = run(path, dry_run=True)
    assert preview.ok
    assert preview.new_regions[0]["name"] == "待命名区县411502"
    assert any("暂定名" in w.message and "行政区划" in w.message for w in preview.warnings)
    assert run(path).imported
    assert Region.objects.get(parent__isnull=True).name == "待命名区县411502"


def test_a_grid_of_another_county_is_refused_by_row_and_column(tmp_path):
    rows = register_rows()
    rows[5][1] = "411503001001009"  # a 平桥区 code among 浉河区's grids
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.refused and not result.imported
    assert [(e.row, e.column) for e in result.errors] == [(6, "网格编码")]
    assert "411503" in result.errors[0].message and "411502" in result.errors[0].message
    assert not Region.objects.exists()


def test_codes_too_short_to_name_a_county_are_refused_with_the_way_out(tmp_path):
    rows = [["浉河区网格台账"], HEADER, [1, "4115020", "一网格", "五星街道", "一社区"]]
    result = run(write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.refused
    assert "首次设置" in result.errors[0].message and "setup_portal" in result.errors[0].message


def test_a_staff_user_on_an_empty_install_is_still_refused(tmp_path):
    ensure_groups()
    clerk = User.objects.create_user("clerk", password="pw-12345678", is_staff=True)
    clerk.groups.add(*[g for g in ensure_groups().values() if g.name == TOWN_ADMIN])
    result = run(write_xlsx(tmp_path / "g.xlsx", register_rows()), user=clerk)
    assert result.refused and not Region.objects.exists()
    assert "首次设置" in result.errors[0].message


def test_an_existing_county_is_used_not_proposed(tmp_path):
    Region.objects.create(name="浉河区", level=Region.Level.COUNTY, code="411502000000")
    preview = run(write_xlsx(tmp_path / "g.xlsx", register_rows()), dry_run=True)
    assert preview.ok and not [r for r in preview.new_regions if r["level"] == "区县"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_empty_install_then_grids_through_the_admin_upload(client, tmp_path):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(admin)
    path = write_xlsx(tmp_path / "浉河区网格台账.xlsx", register_rows(), merges=["A1:K1"])
    data = {"kind": "grids", "file": SimpleUploadedFile(path.name, path.read_bytes(), XLSX)}
    response = client.post(reverse("imports:index"), data)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "浉河区（新建区县）" in page and "五星街道（新建乡镇（街道））" in page
    assert not Region.objects.exists()
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert Grid.objects.count() == 12
    assert Region.objects.get(parent__isnull=True).name == "浉河区"
