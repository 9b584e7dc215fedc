"""Region scoping of the register admin: user × object × view.

Every view that loads one object by URL must answer 403/404 for an object
outside the user's regions and never show its data; lists, choosers, exports
and bulk actions must leave such objects out.
"""

import json

import pytest
from django.urls import reverse

from portal.snippets.models import Grid, GridStaff, Volunteer, VolunteerTeam

from .conftest import grid_form_data, login

pytestmark = pytest.mark.django_db

# model key -> (url namespace model name, {village: fixture attr}, field shown in pages)
MODELS = {
    "grid": ("grid", {"x": "grid_x", "y": "grid_y", "z": "grid_z"}, "name"),
    "volunteer": ("volunteer", {"x": "vol_x", "y": "vol_y", "z": "vol_z"}, "name"),
    "gridstaff": ("gridstaff", {"x": "staff_x", "z": "staff_z"}, "name"),
    "volunteerteam": ("volunteerteam", {"x": "team_x", "z": "team_z"}, "name"),
}

# user fixture attr -> villages the user may see
SCOPES = {
    "superuser": {"x", "y", "z"},
    "town_admin_a": {"x", "y"},
    "town_admin_b": {"z"},
    "village_staff_x": {"x"},
    "grid_worker_x": {"x"},
    "no_region": set(),
}

SINGLE_OBJECT_VIEWS = ["edit", "delete", "inspect", "history", "usage"]

# view -> the model permissions of which any one opens it (Wagtail's snippet views);
# without one, Wagtail sends the user to the dashboard with a message (302).
VIEW_PERMISSIONS = {
    "edit": {"change"},
    "delete": {"delete"},
    "inspect": {"view", "add", "change", "delete"},
    "history": {"add", "change", "delete"},
    "usage": {"add", "change", "delete"},
}


def expected_status(user, model_name, view):
    """200 when the user holds a permission the view needs, else Wagtail's 302."""
    app = "snippets"
    allowed = any(
        user.has_perm(f"{app}.{action}_{model_name}") for action in VIEW_PERMISSIONS[view]
    )
    return 200 if allowed else 302


def text(response):
    """Page text; modal (chooser) responses are JSON with the HTML inside (escaped)."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _ns(model_key):
    return f"wagtailsnippets_snippets_{MODELS[model_key][0]}"


def _cases():
    for user_key, visible in SCOPES.items():
        for model_key, (_, objects, _) in MODELS.items():
            for village, attr in objects.items():
                yield pytest.param(
                    user_key, model_key, attr, village in visible, id=f"{user_key}-{attr}"
                )


@pytest.mark.parametrize(("user_key", "model_key", "attr", "visible"), list(_cases()))
def test_single_object_views(client, world, user_key, model_key, attr, visible):
    user = getattr(world, user_key)
    login(client, user)
    obj = getattr(world, attr)
    secret = obj.name
    for view in SINGLE_OBJECT_VIEWS:
        response = client.get(reverse(f"{_ns(model_key)}:{view}", args=[obj.pk]))
        if visible:
            # In scope, the region never refuses: only a missing model permission does.
            expected = expected_status(user, MODELS[model_key][0], view)
            assert response.status_code == expected, (view, response.status_code, expected)
            if expected == 200 and view in ("edit", "inspect"):
                assert secret in text(response), view
        else:
            assert response.status_code in (403, 404), (view, response.status_code)
            assert secret not in response.content.decode(), view


@pytest.mark.parametrize(("user_key", "model_key", "attr", "visible"), list(_cases()))
def test_list_chooser_and_export(client, world, user_key, model_key, attr, visible):
    login(client, getattr(world, user_key))
    obj = getattr(world, attr)
    ns = _ns(model_key)
    listing = client.get(reverse(f"{ns}:list"))
    if listing.status_code == 200:
        assert (obj.name in listing.content.decode()) == visible
    else:
        assert listing.status_code in (302, 403)

    chooser_ns = f"wagtailsnippetchoosers_snippets_{MODELS[model_key][0]}"
    chooser = client.get(reverse(f"{chooser_ns}:choose"))
    if chooser.status_code == 200:
        assert (obj.name in text(chooser)) == visible
    chosen = client.get(reverse(f"{chooser_ns}:chosen", args=[obj.pk]))
    if visible:
        assert chosen.status_code == 200
    else:
        assert chosen.status_code == 404
        assert obj.name not in text(chosen)


@pytest.mark.parametrize("user_key", list(SCOPES))
def test_export_contains_only_scope(client, world, user_key):
    login(client, getattr(world, user_key))
    response = client.get(reverse("wagtailsnippets_snippets_volunteer:list") + "?export=csv")
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    for village, attr in MODELS["volunteer"][1].items():
        volunteer = getattr(world, attr)
        assert (volunteer.name in content) == (village in SCOPES[user_key])
        # Exports never carry the clear ID number or the full phone.
        assert volunteer.phone not in content
        assert volunteer.id_number_masked in content or village not in SCOPES[user_key]


def _grid_edit_post(grid, **changes):
    return grid_form_data(grid, {"action-publish": "publish"}, **changes)


def test_edit_post_outside_scope_changes_nothing(client, world):
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_grid:edit", args=[world.grid_z.pk])
    response = client.post(url, _grid_edit_post(world.grid_z, name="被篡改的网格"))
    assert response.status_code in (403, 404)
    world.grid_z.refresh_from_db()
    assert world.grid_z.name == "白沙第一网格"

    url = reverse("wagtailsnippets_snippets_volunteer:edit", args=[world.vol_z.pk])
    response = client.post(url, {"name": "被篡改", "grid": world.grid_z.pk})
    assert response.status_code in (403, 404)
    assert Volunteer.objects.get(pk=world.vol_z.pk).name == "诸葛琛珂"


def test_delete_post_outside_scope_deletes_nothing(client, world):
    login(client, world.town_admin_a)
    for model, obj in [(VolunteerTeam, world.team_z), (GridStaff, world.staff_z)]:
        url = reverse(f"wagtailsnippets_snippets_{model._meta.model_name}:delete", args=[obj.pk])
        assert client.post(url).status_code in (403, 404)
        assert model.objects.filter(pk=obj.pk).exists()


def test_in_scope_edit_post_works(client, world):
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_grid:edit", args=[world.grid_y.pk])
    response = client.post(url, _grid_edit_post(world.grid_y, name="西岭第一网格（新）"))
    assert response.status_code == 302, response.content.decode()[:2000]
    world.grid_y.refresh_from_db()
    assert world.grid_y.name == "西岭第一网格（新）"


def test_cannot_move_an_object_into_another_town_by_posting_its_id(client, world):
    """Form choices are scoped too: naming town B's grid is a validation error."""
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_grid:edit", args=[world.grid_y.pk])
    response = client.post(url, _grid_edit_post(world.grid_y, region=world.z.pk))
    assert response.status_code == 200  # form redisplayed with an error
    world.grid_y.refresh_from_db()
    assert world.grid_y.region_id == world.y.pk
    assert Grid.objects.get(pk=world.grid_y.pk).latest_revision is None


def test_bulk_delete_sees_only_scope(client, world):
    login(client, world.town_admin_a)
    base = reverse("wagtail_bulk_action", args=["snippets", "volunteerteam", "delete"])
    # Only out-of-scope ids: nothing to act on.
    response = client.get(f"{base}?id={world.team_z.pk}")
    assert response.status_code == 404
    assert world.team_z.name not in response.content.decode()
    # Mixed: the out-of-scope one is silently left out, and survives the POST.
    query = f"?id={world.team_z.pk}&id={world.team_x.pk}"
    response = client.get(base + query)
    assert response.status_code == 200
    assert world.team_x.name in response.content.decode()
    assert world.team_z.name not in response.content.decode()
    client.post(base + query)
    assert VolunteerTeam.objects.filter(pk=world.team_z.pk).exists()
    assert not VolunteerTeam.objects.filter(pk=world.team_x.pk).exists()


def test_bulk_delete_all_in_listing_is_scoped(client, world):
    login(client, world.town_admin_a)
    base = reverse("wagtail_bulk_action", args=["snippets", "volunteerteam", "delete"])
    client.post(f"{base}?id=all")
    assert VolunteerTeam.objects.filter(pk=world.team_z.pk).exists()
    assert not VolunteerTeam.objects.filter(pk=world.team_x.pk).exists()


def test_grid_lock_and_revision_views_outside_scope(client, world):
    login(client, world.town_admin_b)
    for name in ("lock", "unlock"):
        response = client.post(
            reverse(f"wagtailsnippets_snippets_grid:{name}", args=[world.grid_x.pk])
        )
        assert response.status_code in (403, 404)
    world.grid_x.refresh_from_db()
    assert not world.grid_x.locked
    response = client.get(
        reverse("wagtailsnippets_snippets_grid:workflow_history", args=[world.grid_x.pk])
    )
    assert response.status_code in (403, 404)


def test_instructor_keeps_grids_the_editor_cannot_see(client, world):
    """A town A admin editing a cross-town instructor must not drop town B's grid."""
    world.staff_x.grids.add(world.grid_z)
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_gridstaff:edit", args=[world.staff_x.pk])
    page = client.get(url).content.decode()
    assert world.grid_z.name not in page
    data = {
        "name": "王建国",
        "role": "instructor",
        "work_phone": "０３７６－６１２３４５６",
        "full_time": "on",
        "grids": [world.grid_x.pk, world.grid_y.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.staff_x.refresh_from_db()
    assert world.staff_x.work_phone == "0376-6123456"
    assert set(world.staff_x.grids.all()) == {world.grid_x, world.grid_y, world.grid_z}


def test_staff_region_assignment_is_scoped(client, world):
    login(client, world.town_admin_a)
    url = reverse("wagtailsnippets_snippets_staffregion:add")
    response = client.post(url, {"user": world.grid_worker_x.pk, "region": world.z.pk})
    assert response.status_code == 200  # town B's village is not a valid choice
    assert not world.grid_worker_x.staff_regions.filter(region=world.z).exists()
    response = client.post(url, {"user": world.grid_worker_x.pk, "region": world.y.pk})
    assert response.status_code == 302
    assert world.grid_worker_x.staff_regions.filter(region=world.y).exists()
