"""The care admin: region scope (user × object × view), masked ID, logged full views."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.care import services
from portal.care.admin_views import VIEW_RECORD_ACTION
from portal.care.models import CareObject, Round, Visit, VisitCadence
from portal.snippets.admin_views import VIEW_ID_NUMBER_ACTION

from .conftest import make_care_object

pytestmark = pytest.mark.django_db

# user -> grids whose care records the user may see
SCOPES = {
    "root": {"a", "b", "c"},
    "town_admin_a": {"a", "b"},
    "town_admin_b": {"c"},
    "worker_a": {"a"},
    "worker_b": {"b"},
    "nobody": set(),
}
GRIDS = {"a": "grid_a", "b": "grid_b", "c": "grid_c"}
NAMES = {"a": "欧阳秀英", "b": "司马长青", "c": "诸葛桂兰"}


@pytest.fixture
def records(care):
    out = {}
    for n, (key, attr) in enumerate(GRIDS.items(), start=1):
        grid = getattr(care, attr)
        person = make_care_object(grid, NAMES[key], n, address=f"{NAMES[key]}家门牌{n}号")
        visit = Visit.objects.create(care_object=person, needs=f"需求{NAMES[key]}")
        patrol = Round.objects.create(
            grid=grid, worker=care.root, date=visit.visited_at.date(), notes=f"巡查{NAMES[key]}"
        )
        out[key] = (person, visit, patrol)
    return out


# view -> (permissions of which any one opens it, status without one): Wagtail sends
# a user lacking a model permission to the dashboard (302); our full-ID view is a 403.
VIEW_PERMISSIONS = {
    "edit": ({"change"}, 302),
    "inspect": ({"view", "add", "change", "delete"}, 302),
    "delete": ({"delete"}, 302),
    "history": ({"add", "change", "delete"}, 302),
    "reveal_id": ({"view_full_care_id_number"}, 403),
}


def expected_status(user, model, view):
    actions, refused = VIEW_PERMISSIONS[view]
    codenames = {a if "_" in a else f"{a}_{model}" for a in actions}
    return 200 if any(user.has_perm(f"care.{c}") for c in codenames) else refused


def _cases():
    for user_key, visible in SCOPES.items():
        for grid_key in GRIDS:
            yield pytest.param(user_key, grid_key, grid_key in visible, id=f"{user_key}-{grid_key}")


@pytest.mark.parametrize(("user_key", "grid_key", "visible"), list(_cases()))
def test_scope_matrix(client, care, records, user_key, grid_key, visible):
    user = getattr(care, user_key)
    client.force_login(user)
    person, visit, patrol = records[grid_key]
    secret = NAMES[grid_key]
    single = [
        ("careobject", "edit", person),
        ("careobject", "inspect", person),
        ("careobject", "delete", person),
        ("careobject", "history", person),
        ("careobject", "reveal_id", person),
        ("visit", "inspect", visit),
        ("round", "inspect", patrol),
    ]
    for model, view, obj in single:
        response = client.get(reverse(f"wagtailsnippets_care_{model}:{view}", args=[obj.pk]))
        if visible:
            # In scope, the region never refuses: only a missing permission does.
            expected = expected_status(user, model, view)
            assert response.status_code == expected, (model, view, response.status_code, expected)
            if expected == 200 and view in ("edit", "inspect") and model == "careobject":
                assert secret in response.content.decode(), (model, view)
        else:
            assert response.status_code in (403, 404), (model, view, response.status_code)
            assert secret not in response.content.decode(), (model, view)
    list_secrets = {"careobject": secret, "visit": secret, "round": patrol.grid.name}
    for model, secret in list_secrets.items():
        for suffix in ("", "?export=csv"):
            response = client.get(reverse(f"wagtailsnippets_care_{model}:list") + suffix)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code == 200 and visible and user_key != "nobody":
                assert secret in body.decode("utf-8-sig"), (model, suffix)
            if not visible:
                assert secret not in body.decode("utf-8-sig", "replace"), (model, suffix)


def test_list_and_export_show_only_masked_id_and_phone(client, care, records):
    client.force_login(care.town_admin_a)
    person = records["a"][0]
    number = services.full_id_number(person)
    for suffix in ("", "?export=csv"):
        response = client.get(reverse("wagtailsnippets_care_careobject:list") + suffix)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        assert person.id_number_masked in text
        assert number not in text and person.phone not in text


def test_full_id_needs_permission_and_is_logged(client, care, records):
    person = records["a"][0]
    url = reverse("wagtailsnippets_care_careobject:reveal_id", args=[person.pk])
    client.force_login(care.worker_a)
    assert client.post(url).status_code == 403
    client.force_login(care.town_admin_a)
    page = client.get(url)
    assert page.status_code == 200 and services.full_id_number(person) not in page.content.decode()
    response = client.post(url)
    assert services.full_id_number(person) in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    (entry,) = ModelLogEntry.objects.filter(object_id=str(person.pk), action=VIEW_ID_NUMBER_ACTION)
    assert entry.user == care.town_admin_a
    # out of scope: 404 even with the permission
    client.force_login(care.town_admin_b)
    assert client.post(url).status_code == 404


def test_inspect_and_edit_views_are_logged(client, care, records):
    person = records["a"][0]
    client.force_login(care.worker_a)
    assert (
        client.get(reverse("wagtailsnippets_care_careobject:inspect", args=[person.pk])).status_code
        == 200
    )
    entries = ModelLogEntry.objects.filter(object_id=str(person.pk), action=VIEW_RECORD_ACTION)
    assert [e.user for e in entries] == [care.worker_a]


def test_admin_creates_care_object_with_sealed_id(client, care):
    client.force_login(care.town_admin_a)
    from tests.registers.conftest import valid_id

    number = valid_id(7)
    url = reverse("wagtailsnippets_care_careobject:add")
    data = {
        "name": "赵德全",
        "kind": CareObject.Kind.ALONE_ELDERLY,
        "id_number": number,
        "phone": "138-1234-5678",
        "address": "东湖路1号",
        "grid": care.grid_a.pk,
        "notes": "",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = CareObject.objects.get(name="赵德全")
    assert person.phone == "13812345678"
    assert services.full_id_number(person) == number
    assert number not in person.id_number_encrypted
    # the same number again is refused, naming only the masked number
    response = client.post(url, {**data, "name": "另一人"})
    assert response.status_code == 200
    assert "已登记为关爱对象" in response.content.decode()
    # another town's grid cannot be chosen
    response = client.post(url, {**data, "id_number": valid_id(8), "grid": care.grid_c.pk})
    assert response.status_code == 200 and not CareObject.objects.filter(grid=care.grid_c).exists()


def test_visits_and_rounds_are_not_typed_in_the_admin(client, care, records):
    client.force_login(care.root)
    visit = records["a"][1]
    assert client.get(reverse("wagtailsnippets_care_visit:add")).status_code in (302, 403)
    response = client.get(reverse("wagtailsnippets_care_visit:edit", args=[visit.pk]))
    assert response.status_code in (302, 403)


def test_cadence_town_choices_are_scoped(client, care):
    client.force_login(care.town_admin_a)
    url = reverse("wagtailsnippets_care_visitcadence:add")
    data = {"town": care.town_b.pk, "kind": CareObject.Kind.ALONE_ELDERLY, "days": 3}
    assert client.post(url, data).status_code == 200
    assert not VisitCadence.objects.exists()
    assert client.post(url, {**data, "town": care.town_a.pk}).status_code == 302
    assert VisitCadence.objects.get().town == care.town_a
    assert client.post(url, {**data, "town": care.x.pk}).status_code == 200  # a village


def test_dashboard_panel_counts_overdue_in_scope(client, care, records, settings):
    settings.PAGE_CACHE_ENABLED = False
    import datetime

    from django.utils import timezone

    for _person, visit, _ in records.values():
        visit.visited_at = timezone.now() - datetime.timedelta(days=20)
        visit.save()
    client.force_login(care.town_admin_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "关爱对象走访逾期" in html
    assert "欧阳秀英" in html and "司马长青" in html and "诸葛桂兰" not in html
    assert '其中连续两个周期未走访 <strong class="case-panel__warn">2</strong>' in html


def test_permission_names_are_chinese():
    for perm in Permission.objects.filter(content_type__app_label="care"):
        assert not any(c.isascii() and c.isalpha() for c in perm.name), perm.name


def test_site_history_of_another_town_does_not_name_the_person(client, care, records):
    person = records["a"][0]
    client.force_login(care.town_admin_a)
    client.post(reverse("wagtailsnippets_care_careobject:reveal_id", args=[person.pk]))
    history = reverse("wagtailadmin_reports:site_history")
    assert person.name in client.get(history).content.decode()
    client.force_login(care.town_admin_b)
    assert person.name not in client.get(history).content.decode()


def test_grid_with_care_records_cannot_be_deleted(client, care, records):
    from portal.snippets.grid_rules import grid_delete_problem

    problem = grid_delete_problem(care.grid_a)
    assert "1 名关爱对象" in problem and "1 条巡查记录" in problem
