"""Each grid says what it covers (组/小区/楼栋/街巷), and /grids/ finds a grid by a place name.

Issue 12: the cards used to differ only by number. The coverage text is edited
in the admin, imported with the grid register, shown on the cards and board,
and searched with the project's Chinese analysis.
"""

import pytest
from django.urls import reverse

from imports.importers.grids import GridImporter
from portal.snippets.grid_places import AddressProblem, find_grids, resolve_address
from portal.snippets.models import Grid
from tests.imports.conftest import write_xlsx

from .conftest import make_grid, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(world):
    world.grid_x.coverage = "幸福小区1-6栋、建设路东段"
    world.grid_x.save()
    world.grid_x2 = make_grid(world.x, "411523001001002", "东湖第二网格")
    world.grid_x2.coverage = "和平小区、建设路西段"
    world.grid_x2.save()
    world.grid_y.coverage = "一组、二组、三组"
    world.grid_y.save()
    return world


def finder(client, q, status=200):
    response = client.get("/grids/", {"q": q})
    assert response.status_code == status
    return response.content.decode()


def result_codes(html):
    section = html.split('class="place-results"', 1)[1].split("</section>", 1)[0]
    return [
        code for code in Grid.objects.values_list("code", flat=True) if f"/grids/{code}/" in section
    ]


def test_typing_a_place_name_finds_the_grid_that_covers_it(client, covered):
    html = finder(client, "幸福小区")
    assert result_codes(html) == [covered.grid_x.code]
    assert "覆盖：幸福小区1-6栋、建设路东段" in html
    assert "找到 1 个网格" in html


def test_a_building_number_outside_the_text_still_finds_the_estate(client, covered):
    assert result_codes(finder(client, "幸福小区3栋")) == [covered.grid_x.code]


def test_street_parts_rank_the_exact_section_first(client, covered):
    assert result_codes(finder(client, "建设路东段")) == [covered.grid_x.code]
    both = result_codes(finder(client, "建设路"))
    assert set(both) == {covered.grid_x.code, covered.grid_x2.code}


def test_village_group_and_village_name(client, covered):
    assert result_codes(finder(client, "西岭村三组")) == [covered.grid_y.code]
    assert result_codes(finder(client, "三组")) == [covered.grid_y.code]


def test_traditional_and_full_width_queries_match(client, covered):
    assert result_codes(finder(client, "幸福小區")) == [covered.grid_x.code]
    assert result_codes(finder(client, "和平小区")) == [covered.grid_x2.code]


def test_nothing_found_says_so_in_chinese(client, covered):
    html = finder(client, "不存在花园")
    assert "没有找到覆盖“不存在花园”的网格" in html
    assert result_codes(html) == []


def test_only_live_grids_are_found(client, covered):
    Grid.objects.filter(pk=covered.grid_x.pk).update(live=False)
    assert result_codes(finder(client, "幸福小区")) == []


def test_hostile_place_queries_never_fail(client, covered):
    for q in ["%", "_", "'; DROP TABLE", "幸" * 5000, "\u202e小区", "<script>", "小区"]:
        html = finder(client, q)
        assert "<script>" not in html.split("<main", 1)[1]


def test_cards_and_board_show_the_coverage(client, covered):
    village = client.get(reverse("grids:village", args=[covered.x.pk])).content.decode()
    assert "覆盖：幸福小区1-6栋、建设路东段" in village
    assert "覆盖：和平小区、建设路西段" in village
    board = client.get(reverse("grids:grid", args=[covered.grid_x.code])).content.decode()
    assert "覆盖范围" in board and "幸福小区1-6栋" in board


def test_find_grids_ranks_exact_matches_first(covered):
    matches = find_grids("建设路东段", Grid.objects.filter(live=True), require_all=False)
    assert matches[0].grid == covered.grid_x and matches[0].exact


def test_resolve_address_unique_ambiguous_and_unknown(covered):
    live = Grid.objects.filter(live=True)
    assert resolve_address("青石街道东湖社区幸福小区3栋2单元301室门口", live) == covered.grid_x
    with pytest.raises(AddressProblem, match="对应多个网格"):
        resolve_address("建设路", live)
    with pytest.raises(AddressProblem, match="对应多个网格"):
        resolve_address("东湖社区", live)  # a village names all its grids, not one
    with pytest.raises(AddressProblem, match="没有对应的网格"):
        resolve_address("火星基地", live)


def test_coverage_is_on_the_admin_edit_form(client, covered):
    client.force_login(make_user("coverage_root", superuser=True))
    url = reverse("wagtailsnippets_snippets_grid:edit", args=[covered.grid_x.pk])
    html = client.get(url).content.decode()
    assert 'name="coverage"' in html and "覆盖范围" in html


HEADER = ["网格编码", "网格名称", "所属乡镇（街道）", "所属村（社区）", "户数", "覆盖范围"]


@pytest.mark.parametrize("heading", ["覆盖范围", "网格范围", "包含小区"])
def test_grid_register_import_reads_the_coverage_column(world, tmp_path, heading):
    header = [*HEADER[:-1], heading]
    rows = [
        header,
        [
            world.grid_x.code,
            "东湖第一网格",
            "青石街道",
            "东湖社区",
            420,
            "幸福小区1-6栋、建设路东段",
        ],
        ["411523001001009", "东湖第九网格", "青石街道", "东湖社区", 300, "阳光花园"],
    ]
    result = GridImporter(None).run(write_xlsx(tmp_path / "grids.xlsx", rows))
    assert result.imported, result
    assert Grid.objects.get(code=world.grid_x.code).coverage == "幸福小区1-6栋、建设路东段"
    assert Grid.objects.get(code="411523001001009").coverage == "阳光花园"
    # re-importing the same sheet changes nothing
    again = GridImporter(None, dry_run=True).run(write_xlsx(tmp_path / "again.xlsx", rows))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    rows[1][-1] = "幸福小区1-8栋"
    changed = GridImporter(None).run(write_xlsx(tmp_path / "changed.xlsx", rows))
    assert changed.counts["update"] == 1
    assert Grid.objects.get(code=world.grid_x.code).coverage == "幸福小区1-8栋"
