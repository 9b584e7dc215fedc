"""Deleting a grid that volunteers or cases still point at is refused, with the counts."""

import pytest
from django.urls import reverse

from portal.cases.models import CaseCategory
from portal.cases.services import create_case
from portal.snippets.grid_rules import grid_delete_blockers, grid_delete_problem
from portal.snippets.models import Grid

from .conftest import login, make_grid, make_volunteer, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_grid(world):
    """grid_x with 3 volunteers (one from the fixture) and 2 cases."""
    make_volunteer(world.grid_x, "东方翎祎", valid_id(40), phone="18700000001")
    make_volunteer(world.grid_x, "南宫璟铖", valid_id(41), phone="18700000002")
    category = CaseCategory.objects.create(name="环境卫生", code="sanitation", deadline_days=7)
    for title in ("楼道堆物", "路灯不亮"):
        create_case(
            user=world.superuser,
            title=title,
            description="测试案件",
            category=category,
            source="grid_worker",
            grid=world.grid_x,
        )
    return world.grid_x


def test_blockers_are_counted(busy_grid, world):
    assert grid_delete_blockers(busy_grid) == [("志愿者", 3), ("案件", 2)]
    assert grid_delete_problem(busy_grid) == "该网格下还有 3 名志愿者、2 件案件，不能删除"
    empty = make_grid(world.y, "411523001201002", "西岭第二网格")
    assert grid_delete_blockers(empty) == []
    assert grid_delete_problem(empty) is None


def test_admin_delete_view_refuses_with_counts(client, busy_grid, world):
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_grid:delete", args=[busy_grid.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "该网格下还有 3 名志愿者、2 件案件，不能删除" in html
    assert 'type="submit"' not in html.split("data-delete-problem", 1)[1]

    response = client.post(url)
    assert response.status_code == 409
    assert "该网格下还有 3 名志愿者、2 件案件，不能删除" in response.content.decode()
    assert Grid.objects.filter(pk=busy_grid.pk).exists()


def test_bulk_delete_refuses_too(client, busy_grid, world):
    login(client, world.town_admin_a)
    url = reverse("wagtail_bulk_action", args=["snippets", "grid", "delete"])
    listing = reverse("wagtailsnippets_snippets_grid:list")
    query = f"?id={busy_grid.pk}&id={world.grid_y.pk}&next={listing}"
    response = client.post(url + query, follow=True)
    assert "不能删除" in response.content.decode()
    assert Grid.objects.filter(pk__in=[busy_grid.pk, world.grid_y.pk]).count() == 2


def test_grid_without_dependants_is_deleted(client, world):
    empty = make_grid(world.y, "411523001201002", "西岭第二网格")
    login(client, world.town_admin_a)
    response = client.post(reverse("wagtailsnippets_snippets_grid:delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Grid.objects.filter(pk=empty.pk).exists()
