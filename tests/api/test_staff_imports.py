"""Scripts trigger an import with a token and poll it — through the importer's own rules."""

import csv
import json

import pytest
from django.contrib.auth import get_user_model

from imports.models import ImportJob
from portal import groups
from portal.snippets.models import Grid, StaffRegion

pytestmark = pytest.mark.django_db

HEADER = ["网格编码", "网格名称", "所属乡镇（街道）", "所属村（社区）", "网格类型", "户数"]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.IMPORT_PRIVATE_ROOT = tmp_path / "private-imports"


@pytest.fixture
def town_admin(tree):
    by_name = groups.ensure_groups()
    user = get_user_model().objects.create_user(username="townadmin", password="pw")
    user.groups.add(by_name[groups.TOWN_ADMIN])
    StaffRegion.objects.create(user=user, region=tree.town)
    return user


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def upload(client, token, path, **fields):
    with open(path, "rb") as handle:
        response = client.post(
            "/api/staff/imports/",
            {"kind": fields.pop("kind", "grids"), "file": handle, **fields},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    return response, json.loads(response.content)


def poll(client, token, pk):
    response = client.get(f"/api/staff/imports/{pk}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response, json.loads(response.content)


def test_upload_confirm_and_poll(client, tree, town_admin, token_for, tmp_path):
    token = token_for(town_admin)
    path = write_csv(
        tmp_path / "grids.csv",
        [["411523001001009", "东湖九网格", "青石街道", "东湖社区", "城市网格", "380"]],
    )
    response, data = upload(client, token, path, confirm="true")
    assert response.status_code == 201, data
    assert (data["status"], data["new_count"], data["busy"]) == ("done", 1, False)
    assert Grid.objects.get(code="411523001001009").region == tree.donghu
    response, polled = poll(client, token, data["id"])
    assert response.status_code == 200
    assert polled["status_label"] == "已导入" and polled["percent"] == 100
    # the same file again changes nothing
    _response, again = upload(client, token, path, confirm="true")
    assert (again["new_count"], again["unchanged_count"]) == (0, 1)


def test_check_first_then_confirm(client, tree, town_admin, token_for, tmp_path):
    token = token_for(town_admin)
    path = write_csv(
        tmp_path / "grids.csv",
        [["411523001201009", "西岭九网格", "青石街道", "西岭村", "农村网格", "200"]],
    )
    _response, data = upload(client, token, path)
    assert data["status"] == "preview"
    assert not Grid.objects.filter(code="411523001201009").exists()
    response = client.post(
        f"/api/staff/imports/{data['id']}/confirm/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "done"
    assert Grid.objects.filter(code="411523001201009").exists()


def test_import_outside_the_users_region_is_refused_whole(
    client, tree, town_admin, token_for, tmp_path
):
    token = token_for(town_admin)
    path = write_csv(
        tmp_path / "grids.csv",
        [
            ["411523001001010", "东湖十网格", "青石街道", "东湖社区", "城市网格", "300"],
            ["411523002201009", "白沙九网格", "白沙镇", "白沙村", "农村网格", "150"],
        ],
    )
    _response, data = upload(client, token, path, confirm="true")
    assert data["status"] != "done"
    assert data["error_count"] >= 1
    assert any(e["row"] == 3 for e in data["errors"]), data["errors"]
    assert not Grid.objects.filter(code__in=["411523001001010", "411523002201009"]).exists()
    # confirming without skip_invalid is refused in Chinese
    response = client.post(
        f"/api/staff/imports/{data['id']}/confirm/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert "skip_invalid" in json.loads(response.content)["skip_invalid"][0]


def test_file_that_is_not_what_its_name_says_is_refused(
    client, tree, town_admin, token_for, tmp_path
):
    token = token_for(town_admin)
    path = tmp_path / "grids.xlsx"
    path.write_bytes(b"<html><script>alert(1)</script></html>")
    _response, data = upload(client, token, path, confirm="true")
    assert data["status"] == "refused"
    assert data["message"]
    assert Grid.objects.count() == 3


def test_permissions_and_visibility(client, tree, staff, town_admin, token_for, tmp_path):
    path = write_csv(tmp_path / "grids.csv", [])
    # staff.donghu may use the admin and view cases but may not import grids
    response, data = upload(client, token_for(staff.donghu), path)
    assert response.status_code == 403
    assert "没有导入网格数据的权限" in data["detail"]
    assert not ImportJob.objects.exists()
    # someone else's job is invisible
    good = write_csv(
        tmp_path / "ok.csv", [["411523001001011", "东湖十一网格", "青石街道", "东湖社区", "", "1"]]
    )
    _response, data = upload(client, token_for(town_admin), good)
    response, _data = poll(client, token_for(staff.donghu), data["id"])
    assert response.status_code == 404
    # anonymous callers get nothing
    assert client.get(f"/api/staff/imports/{data['id']}/").status_code == 401


def test_missing_kind_or_file_is_a_400(client, town_admin, token_for):
    response = client.post(
        "/api/staff/imports/",
        {"kind": "pets"},
        HTTP_AUTHORIZATION=f"Bearer {token_for(town_admin)}",
    )
    assert response.status_code == 400
    data = json.loads(response.content)
    assert set(data) == {"kind", "file"}


def test_case_upload_passes_category_options(client, tree, town_admin, token_for, tmp_path):
    from portal.cases.models import Case, CaseCategory

    CaseCategory.objects.get_or_create(
        name="矛盾纠纷", defaults={"code": "dispute-x", "deadline_days": 15}
    )
    path = tmp_path / "cases.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["案件编号", "标题", "事件描述", "事件类别", "事件来源", "所属网格", "上报时间"],
                [
                    "AJ2025900001",
                    "甲",
                    "楼道堆物",
                    "违章建筑",
                    "网格员上报",
                    "411523001001001",
                    "2025-03-01 09:30",
                ],
                [
                    "AJ2025900002",
                    "乙",
                    "邻里争吵",
                    "邻里纠纷",
                    "网格员上报",
                    "411523001001001",
                    "2025-03-01 09:30",
                ],
            ]  # fmt: skip
        )
    token = token_for(town_admin)
    response, data = upload(
        client, token, path, kind="cases", confirm="true", allow_new_categories="true",
        map_category=["邻里纠纷=矛盾纠纷"],
    )  # fmt: skip
    assert response.status_code == 201, data
    assert data["status"] == "done", data
    assert Case.objects.get(number="AJ2025900001").category.name == "违章建筑"
    assert Case.objects.get(number="AJ2025900002").category.name == "矛盾纠纷"
    response, data = upload(client, token, path, kind="cases", map_category=["没有等号"])
    assert response.status_code == 400 and "格式" in json.dumps(data, ensure_ascii=False)
