"""Public "find my grid worker": town → village → grid → staff with work phones. Nothing else."""

import datetime

import pytest
from django.urls import reverse

from portal.snippets.models import Grid

from .conftest import make_grid

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_walk_from_town_to_grid_without_javascript(client, world):
    finder = get(client, "/grids/")
    assert "青石街道" in finder and "白沙镇" in finder
    town_url = reverse("grids:town", args=[world.town_a.pk])
    assert f'href="{town_url}"' in finder

    town = get(client, town_url)
    assert "东湖社区" in town and "西岭村" in town
    assert "白沙村" not in town  # another town's village
    village_url = reverse("grids:village", args=[world.x.pk])
    assert f'href="{village_url}"' in town

    village = get(client, village_url)
    grid_url = reverse("grids:grid", args=[world.grid_x.code])
    assert f'href="{grid_url}"' in village and "东湖第一网格" in village

    board = get(client, grid_url)
    assert "东湖第一网格" in board and world.grid_x.code in board and "420" in board
    assert "专职网格员" in board and "王建国" in board
    assert 'href="tel:0376-6123456"' in board
    assert "<script" not in board.split("</main>")[0].split("<main")[1]


def test_nothing_about_residents_or_volunteers(client, world):
    pages = [
        "/grids/",
        reverse("grids:town", args=[world.town_a.pk]),
        reverse("grids:village", args=[world.x.pk]),
        reverse("grids:grid", args=[world.grid_x.code]),
    ]
    for url in pages:
        html = get(client, url)
        for volunteer in (world.vol_x, world.vol_y):
            assert volunteer.name not in html
            assert volunteer.phone not in html
            assert volunteer.id_number_masked not in html


def test_draft_grids_are_not_public(client, world):
    draft = make_grid(world.x, "411523001001005", "尚未发布的网格")
    Grid.objects.filter(pk=draft.pk).update(live=False)
    assert "尚未发布的网格" not in get(client, reverse("grids:village", args=[world.x.pk]))
    get(client, reverse("grids:grid", args=[draft.code]), status=404)


def test_lookup_by_code(client, world):
    response = client.get("/grids/", {"code": "４１１５２３００１００１００１"})
    assert response.status_code == 302
    assert response["Location"] == reverse("grids:grid", args=[world.grid_x.code])
    response = client.get("/grids/", {"code": "999999"})
    assert response.status_code == 404
    assert "没有找到编码为“999999”的网格" in response.content.decode()


def test_merged_village_points_to_its_successor(client, world):
    world.y.effective_until = datetime.date(2020, 1, 1)
    world.y.merged_into = world.x
    world.y.save()
    town = get(client, reverse("grids:town", args=[world.town_a.pk]))
    assert "西岭村" not in town
    village = get(client, reverse("grids:village", args=[world.y.pk]))
    assert "已并入" in village and reverse("grids:village", args=[world.x.pk]) in village


def test_unknown_ids_are_404(client, world):
    get(client, reverse("grids:town", args=[world.x.pk]), status=404)  # a village is not a town
    get(client, reverse("grids:village", args=[99999]), status=404)
    get(client, "/grids/not-a-code/", status=404)
