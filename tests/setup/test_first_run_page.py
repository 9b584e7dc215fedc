"""The 首次设置 admin page: superusers are led to it on an empty install; nobody else may use it."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from portal.groups import COUNTY_ADMIN, ensure_groups
from portal.pages.models import HomePage
from portal.snippets.models import Region

pytestmark = pytest.mark.django_db

URL = "/admin/first-run/"


@pytest.fixture
def root_user(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


def test_superuser_on_an_empty_install_is_led_to_the_page_and_sets_up(client, root_user):
    client.force_login(root_user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "前往首次设置" in dashboard and URL in dashboard
    page = client.get(URL)
    assert page.status_code == 200
    assert "尚未完成首次设置" in page.content.decode()

    response = client.post(URL, {"level": "county", "name": "浉河区", "code": "411502"})
    assert response.status_code == 302
    county = Region.objects.get()
    assert (county.name, county.code) == ("浉河区", "411502000000")
    assert HomePage.objects.get().title == "浉河区基层治理门户"
    assert Group.objects.filter(name=COUNTY_ADMIN).exists()
    followed = client.get(response.url).content.decode()
    assert "已新建" in followed and "浉河区（区县，代码 411502000000）" in followed
    assert "前往首次设置" not in client.get(reverse("wagtailadmin_home")).content.decode()

    # the form comes back filled in; submitting again changes nothing and says so
    assert 'value="411502"' in followed
    again = client.post(URL, {"level": "county", "name": "浉河区", "code": "411502"}, follow=True)
    assert "本次没有任何改动" in again.content.decode()
    assert Region.objects.count() == 1 and HomePage.objects.count() == 1


def test_bad_input_is_shown_in_chinese_and_writes_nothing(client, root_user):
    client.force_login(root_user)
    response = client.post(URL, {"level": "county", "name": "浉河区", "code": "4115"})
    assert response.status_code == 200
    assert "应为6位数字" in response.content.decode()
    response = client.post(URL, {"level": "town", "name": "五星街道", "code": "411502001"})
    assert "所属区县的名称" in response.content.decode()
    assert not Region.objects.exists() and not HomePage.objects.exists()


def test_a_different_county_is_refused_on_the_page(client, root_user):
    client.force_login(root_user)
    client.post(URL, {"level": "county", "name": "浉河区", "code": "411502"})
    response = client.post(URL, {"level": "county", "name": "平桥区", "code": "411503"})
    assert response.status_code == 200 and "一个门户只有一个区县" in response.content.decode()
    assert list(Region.objects.values_list("name", flat=True)) == ["浉河区"]


def test_staff_who_are_not_superusers_get_403_in_chinese(client):
    ensure_groups()
    county_admin = User.objects.create_user("admin2", password="pw-12345678", is_staff=True)
    county_admin.groups.add(Group.objects.get(name=COUNTY_ADMIN))
    client.force_login(county_admin)
    response = client.get(URL)
    assert response.status_code == 403 and "只有系统管理员" in response.content.decode()
    response = client.post(URL, {"level": "county", "name": "浉河区", "code": "411502"})
    assert response.status_code == 403 and not Region.objects.exists()
    assert client.get(URL + "templates/regions/").status_code == 403
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "前往首次设置" not in dashboard and URL not in dashboard


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("kind", ["regions", "grids", "grid_staff"])
def test_first_day_templates_download_and_read_back(client, root_user, kind, tmp_path):
    client.force_login(root_user)
    response = client.get(f"{URL}templates/{kind}/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert {"regions": "区划代码", "grids": "网格编码", "grid_staff": "岗位"}[kind] in headers
    assert client.get(f"{URL}templates/volunteers/").status_code == 404
