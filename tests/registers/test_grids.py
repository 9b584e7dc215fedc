"""Grid validation, the oversize flag, regions' tree rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.snippets.boundaries import boundary_problem
from portal.snippets.models import Grid, Region

from .conftest import login

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[114.0, 32.1], [114.01, 32.1], [114.01, 32.11], [114.0, 32.11], [114.0, 32.1]]
    ],
}


def add_data(world, **overrides):
    data = {
        "code": "411523001001002",
        "name": "东湖第二网格",
        "region": world.x.pk,
        "grid_type": "urban",
        "households": "350",
        "population": "1000",
        "boundary": "null",
        "notes": "",
        "action-publish": "publish",
    }
    data.update(overrides)
    return data


ADD_URL = reverse("wagtailsnippets_snippets_grid:add")


def test_town_admin_creates_and_publishes_a_grid(client, world):
    login(client, world.town_admin_a)
    response = client.post(ADD_URL, add_data(world, code="４１１５２３００１００１００２"))
    assert response.status_code == 302, response.content.decode()[:3000]
    grid = Grid.objects.get(code="411523001001002")  # full-width digits normalised
    assert grid.live


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "12345"}, "网格编码必须是6到20位数字"),
        ({"code": "4115230010010A"}, "网格编码必须是6到20位数字"),
        ({"code": "411523001001001"}, "该网格编码已被其他网格使用"),
        ({"households": "-5"}, "大于或等于"),
        ({"boundary": '{"type": "Point", "coordinates": [114, 32]}'}, "Polygon 或 MultiPolygon"),
        ({"region": "town"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, world, overrides, message):
    if overrides.get("region") == "town":
        overrides = {"region": world.town_a.pk}
    login(client, world.town_admin_a)
    before = Grid.objects.count()
    response = client.post(ADD_URL, add_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Grid.objects.count() == before


def test_model_rules_for_importers_and_api(world):
    grid = Grid(code="411523001000001", name="错挂网格", region=world.town_a, households=10)
    with pytest.raises(ValidationError) as excinfo:
        grid.full_clean()
    assert "网格必须属于村或社区，“青石街道”是乡镇/街道" in str(excinfo.value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (SQUARE, None),
        ({"type": "Feature", "geometry": SQUARE, "properties": {}}, None),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}, None),
        (None, None),
        ("not json object", "必须是GeoJSON对象"),
        ({"type": "LineString", "coordinates": []}, "当前为 LineString"),
        (
            {"type": "Polygon", "coordinates": [[[114, 32], [115, 32], [114, 32]]]},
            "至少需要4个坐标点",
        ),
        (
            {"type": "Polygon", "coordinates": [[[114, 32], [115, 32], [115, 33], [114, 33.5]]]},
            "未闭合",
        ),
        (
            {"type": "Polygon", "coordinates": [[[214, 32], [115, 32], [115, 33], [214, 32]]]},
            "第1个点的经纬度超出范围",
        ),
    ],
)
def test_boundary_problem(value, fragment):
    problem = boundary_problem(value)
    if fragment is None:
        assert problem is None
    else:
        assert fragment in problem


def test_oversized_grid_flagged_in_list_and_edit_page_not_refused(client, world):
    login(client, world.town_admin_a)
    response = client.post(ADD_URL, add_data(world, households="620"))
    assert response.status_code == 302
    grid = Grid.objects.get(code="411523001001002")
    assert grid.is_oversized
    listing = client.get(reverse("wagtailsnippets_snippets_grid:list")).content.decode()
    assert listing.count("data-oversized") == 1  # grid_x (420 urban) is within the norm
    edit = client.get(reverse("wagtailsnippets_snippets_grid:edit", args=[grid.pk]))
    assert "超过省定标准（不超过500户）" in edit.content.decode()
    normal = client.get(reverse("wagtailsnippets_snippets_grid:edit", args=[world.grid_x.pk]))
    assert "网格规模超标" not in normal.content.decode()
    only_over = client.get(reverse("wagtailsnippets_snippets_grid:list"), {"oversized": "yes"})
    assert grid.name in only_over.content.decode()
    assert world.grid_x.name not in only_over.content.decode()


def test_rural_norm_is_300(world):
    world.grid_y.households = 301
    assert world.grid_y.is_oversized
    world.grid_y.households = 300
    assert not world.grid_y.is_oversized


# --- regions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"level": "village", "parent": "county"}, "parent", "村/社区的上级必须是乡镇/街道"),
        ({"level": "town", "parent": "town_a"}, "parent", "乡镇/街道的上级必须是区县"),
        ({"level": "village", "parent": None}, "parent", "村/社区必须选择上级区划"),
        ({"level": "county", "parent": "county"}, "parent", "区县是最上级区划"),
        (
            {
                "level": "village",
                "parent": "town_a",
                "effective_from": datetime.date(2024, 1, 1),
                "effective_until": datetime.date(2023, 1, 1),
            },
            "effective_until",
            "失效日期必须晚于生效日期",
        ),
        (
            {"level": "village", "parent": "town_a", "merged_into": "town_b"},
            "merged_into",
            "只能并入同级区划",
        ),
    ],
)
def test_region_tree_rules(world, kwargs, field, message):
    for key in ("parent", "merged_into"):
        if isinstance(kwargs.get(key), str):
            kwargs[key] = getattr(world, kwargs[key])
    region = Region(name="新区划", **kwargs)
    with pytest.raises(ValidationError) as excinfo:
        region.full_clean()
    assert message in " ".join(excinfo.value.message_dict[field])


def test_region_list_shows_parent_and_is_scoped(client, world):
    login(client, world.town_admin_a)
    page = client.get(reverse("wagtailsnippets_snippets_region:list")).content.decode()
    assert "东湖社区" in page and "青石街道" in page
    assert "白沙村" not in page
