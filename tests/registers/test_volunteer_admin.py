"""Volunteers in the admin: ID number validation, sealing, masking, derivation; phones."""

import datetime

import pytest
from django.urls import reverse

from portal.snippets import pii
from portal.snippets.models import Volunteer
from portal.snippets.volunteering import full_id_number

from .conftest import login, valid_id

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_snippets_volunteer:add")


def form_data(world, **overrides):
    data = {
        "name": "上官珺璐",
        "id_number": valid_id(11, born=datetime.date(1990, 2, 28), male=False),
        "gender": "",
        "birth_date": "",
        "phone": "151 2345 6789",
        "political_status": "masses",
        "grid": world.grid_x.pk,
        "teams": [world.team_x.pk],
        "skills": "调解, 书法",
        "registration_date": "2024-03-01",
        "active": "on",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_seals_masks_and_derives(client, world):
    login(client, world.village_staff_x)
    number = valid_id(11, born=datetime.date(1990, 2, 28), male=False)
    response = client.post(ADD_URL, form_data(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = Volunteer.objects.get(name="上官珺璐")
    # stored sealed: no column holds the clear number
    assert number not in (volunteer.id_number_encrypted, volunteer.id_number_hash)
    assert volunteer.id_number_masked == pii.mask_id_number(number)
    assert full_id_number(volunteer) == number
    # derived from the number because left blank
    assert volunteer.gender == "F"
    assert volunteer.birth_date == datetime.date(1990, 2, 28)
    # phone normalised
    assert volunteer.phone == "15123456789"
    assert {t.name for t in volunteer.skills.all()} == {"调解", "书法"}


def test_list_and_edit_form_never_show_the_full_number(client, world):
    login(client, world.town_admin_a)
    number = full_id_number(world.vol_x)
    listing = client.get(reverse("wagtailsnippets_snippets_volunteer:list")).content.decode()
    assert world.vol_x.id_number_masked in listing
    assert number not in listing
    assert world.vol_x.phone not in listing  # lists show the phone masked too
    assert pii.mask_phone(world.vol_x.phone) in listing
    edit = client.get(reverse("wagtailsnippets_snippets_volunteer:edit", args=[world.vol_x.pk]))
    page = edit.content.decode()
    assert edit.status_code == 200
    assert number not in page
    assert world.vol_x.id_number_masked in page
    assert world.vol_x.id_number_encrypted not in page
    inspect = client.get(
        reverse("wagtailsnippets_snippets_volunteer:inspect", args=[world.vol_x.pk])
    ).content.decode()
    assert number not in inspect and world.vol_x.id_number_hash not in inspect


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("41152319900228001", "身份证号应为18位，实际为17位"),
        ("411523199002280012", "校验位错误"),
        ("411523199002300014", "出生日期 19900230 不存在"),
        ("41152319900228A01X", "只能由数字和末位X组成"),
        ("", "请填写身份证号"),
    ],
)
def test_invalid_id_numbers_are_refused_in_chinese(client, world, bad, message):
    login(client, world.village_staff_x)
    before = Volunteer.objects.count()
    response = client.post(ADD_URL, form_data(world, id_number=bad))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Volunteer.objects.count() == before


def test_duplicate_id_number_names_only_the_masked_number(client, world):
    login(client, world.village_staff_x)
    taken = full_id_number(world.vol_z)  # registered in another town
    response = client.post(ADD_URL, form_data(world, id_number=taken.lower()))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"该身份证号（{pii.mask_id_number(taken)}）已登记为志愿者" in page
    assert world.vol_z.name not in page
    assert Volunteer.objects.filter(id_number_hash=world.vol_z.id_number_hash).count() == 1


def test_gender_and_birth_date_must_agree_with_the_id(client, world):
    login(client, world.village_staff_x)
    response = client.post(ADD_URL, form_data(world, gender="M", birth_date="1991-01-01"))
    page = response.content.decode()
    assert "性别与身份证号不符" in page
    assert "出生日期与身份证号不符：身份证号显示为1990-02-28" in page
    assert not Volunteer.objects.filter(name="上官珺璐").exists()


def test_invalid_phone_is_refused(client, world):
    login(client, world.village_staff_x)
    response = client.post(ADD_URL, form_data(world, phone="1234567"))
    assert "手机号码应为11位" in response.content.decode()
    assert not Volunteer.objects.filter(name="上官珺璐").exists()


def test_edit_without_retyping_keeps_the_id_and_checks_agreement(client, world):
    login(client, world.village_staff_x)
    url = reverse("wagtailsnippets_snippets_volunteer:edit", args=[world.vol_x.pk])
    sealed = world.vol_x.id_number_encrypted
    data = form_data(world, name="欧阳翊珩", id_number="", phone="13511112222")
    data["gender"] = "F"  # vol_x's number encodes a man
    response = client.post(url, data)
    assert "性别与身份证号不符" in response.content.decode()
    data["gender"] = "M"
    data["name"] = "欧阳翊珩（改）"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    world.vol_x.refresh_from_db()
    assert world.vol_x.name == "欧阳翊珩（改）"
    assert world.vol_x.id_number_encrypted == sealed


def test_correcting_the_id_number_reseals(client, world):
    login(client, world.village_staff_x)
    url = reverse("wagtailsnippets_snippets_volunteer:edit", args=[world.vol_x.pk])
    new_number = valid_id(21)
    data = form_data(world, name="欧阳翊珩", id_number=new_number, phone="13511112222")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    world.vol_x.refresh_from_db()
    assert full_id_number(world.vol_x) == new_number
    assert world.vol_x.id_number_hash == pii.hash_id_number(new_number)


def test_search_by_full_id_number_uses_the_hash(client, world):
    login(client, world.town_admin_a)
    number = full_id_number(world.vol_y)
    response = client.get(reverse("wagtailsnippets_snippets_volunteer:list"), {"q": number})
    page = response.content.decode()
    assert world.vol_y.name in page
    assert world.vol_x.name not in page
    # A number from outside the scope finds nothing.
    response = client.get(
        reverse("wagtailsnippets_snippets_volunteer:list"), {"q": full_id_number(world.vol_z)}
    )
    assert world.vol_z.name not in response.content.decode()


def test_grid_choice_is_limited_to_scope(client, world):
    login(client, world.village_staff_x)
    response = client.post(ADD_URL, form_data(world, grid=world.grid_y.pk))
    assert response.status_code == 200
    assert not Volunteer.objects.filter(name="上官珺璐").exists()
