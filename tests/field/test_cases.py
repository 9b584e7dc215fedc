"""The field workspace's case pages: sign-in, scope, reporting once, the next steps."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.cases.models import Case, CasePhoto
from tests.admin.english import english_on_page
from tests.cases.helpers import walk

from .conftest import photo, token

pytestmark = pytest.mark.django_db


def report_data(tree, categories, **extra):
    data = {
        "category": categories.sanitation.pk,
        "grid": tree.grids.xiling.pk,
        "description": "村口垃圾桶满溢，已三天无人清运。",
        "place": "西岭村村口",
        "client_token": token(),
    }
    data.update(extra)
    return data


# --- the door ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/field/", "/field/cases/", "/field/report/", "/field/cases/1/"])
def test_anonymous_is_sent_to_the_field_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/field/login/?next=")


def test_sync_script_gets_401_json_when_signed_out(client):
    response = client.get("/field/sync/token/", headers={"X-Field-Sync": "1"})
    assert response.status_code == 401
    assert "重新登录" in response.json()["message"]


def test_login_with_the_admin_account_leads_to_my_grids(client, users):
    page = client.get("/field/login/?next=/field/")
    assert "网格员登录" in page.content.decode()
    response = client.post(
        "/field/login/", {"username": "xiling", "password": "pw", "next": "/field/"}
    )
    assert response.status_code == 302 and response["Location"] == "/field/"
    assert "西岭一网格" in client.get("/field/").content.decode()


def test_wrong_password_is_refused_in_chinese_and_counts_towards_the_lockout(client, users):
    for _ in range(5):
        response = client.post("/field/login/", {"username": "xiling", "password": "wrong"})
        assert response.status_code == 200
    text = response.content.decode()
    assert "已被临时锁定" in text
    # locked: even the right password is refused now
    response = client.post("/field/login/", {"username": "xiling", "password": "pw"})
    assert "已被临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_posts_share_the_admins_rate_limit(client, users, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    codes = [
        client.post("/field/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert "请求过于频繁" in client.post("/admin/login/", {"username": "a"}).content.decode()


def test_account_without_staff_permission_is_refused(client, resident):
    client.force_login(resident)
    response = client.get("/field/")
    assert response.status_code == 403
    assert "仅供工作人员使用" in response.content.decode()


def test_staff_without_a_region_is_refused(client, users):
    client.force_login(users.unassigned)
    response = client.get("/field/cases/")
    assert response.status_code == 403
    assert "尚未分配辖区" in response.content.decode()


# --- scope ---------------------------------------------------------------------------


def test_worker_sees_only_the_grids_and_cases_of_their_village(
    worker_client, tree, make_case, users
):
    mine = make_case(grid=tree.grids.xiling, user=users.xiling, title="西岭村口积水")
    other = make_case(grid=tree.grids.baisha, user=users.baisha, title="白沙村道路塌陷")
    home = worker_client.get("/field/").content.decode()
    assert "西岭一网格" in home
    assert "东湖一网格" not in home and "白沙一网格" not in home
    for tab in ("mine", "open"):
        listing = worker_client.get(f"/field/cases/?tab={tab}").content.decode()
        assert mine.title in listing
        assert other.title not in listing and other.number not in listing
    assert worker_client.get(f"/field/cases/{other.pk}/").status_code == 404
    assert worker_client.get(f"/field/cases/?grid={tree.grids.baisha.pk}").status_code == 404
    post = worker_client.post(
        f"/field/cases/{other.pk}/act/dispatch/",
        {"shown_status": "accepted", "shown_tier": "grid", "shown_revision": "0"},
    )
    assert post.status_code == 404
    other.refresh_from_db()
    assert other.status == Case.Status.ACCEPTED


def test_reporting_into_another_villages_grid_is_refused(worker_client, tree, categories):
    data = report_data(tree, categories, grid=tree.grids.baisha.pk)
    response = worker_client.post("/field/report/", data)
    assert response.status_code == 400
    assert "所选网格不在您的辖区内" in response.content.decode()
    assert not Case.objects.exists()


def test_cases_list_puts_overdue_first(worker_client, tree, make_case, users, a_while_ago):
    fresh = make_case(grid=tree.grids.xiling, user=users.xiling, title="新近的事")
    late = make_case(
        grid=tree.grids.xiling, user=users.xiling, title="逾期的事", reported_at=a_while_ago
    )
    text = worker_client.get("/field/cases/?tab=mine").content.decode()
    assert text.index(late.title) < text.index(fresh.title)
    assert "已逾期" in text


# --- reporting ---------------------------------------------------------------------------


def test_report_makes_a_grid_worker_case_with_its_photo(worker_client, tree, categories, users):
    data = report_data(tree, categories, photos=[photo()])
    response = worker_client.post("/field/report/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/field/cases/{case.pk}/"
    assert case.source == Case.Source.GRID_WORKER
    assert case.discoverer == users.xiling and case.grid == tree.grids.xiling
    assert case.title.startswith("环境卫生：村口垃圾桶满溢")
    stored = CasePhoto.objects.get(case=case)
    assert b"PhoneMaker" not in stored.image.open("rb").read()
    page = worker_client.get(response["Location"]).content.decode()
    assert f"/cases/photos/{stored.pk}/" in page


def test_the_same_client_token_sent_twice_makes_one_case(worker_client, tree, categories):
    data = report_data(tree, categories)
    first = worker_client.post("/field/report/", data, headers={"X-Field-Sync": "1"})
    again = worker_client.post(
        "/field/report/", {**data, "photos": [photo()]}, headers={"X-Field-Sync": "1"}
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["number"] == again.json()["number"]
    assert "未重复登记" in again.json()["message"]
    assert Case.objects.count() == 1
    assert not CasePhoto.objects.exists()


def test_a_bad_photo_or_a_fourth_photo_leaves_nothing_written(worker_client, tree, categories):
    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = worker_client.post(
        "/field/report/", report_data(tree, categories, photos=[photo(), fake])
    )
    assert response.status_code == 400
    assert "第 2 张照片（x.jpg）不是可识别的图片" in response.content.decode()
    four = [photo(f"p{i}.jpg", (i * 40, 10, 10)) for i in range(4)]
    answer = worker_client.post(
        "/field/report/", report_data(tree, categories, photos=four), headers={"X-Field-Sync": "1"}
    )
    assert answer.status_code == 400
    assert "最多上传 3 张照片" in answer.json()["errors"]["photos"]
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_missing_fields_are_named_in_chinese(worker_client):
    response = worker_client.post("/field/report/", {}, headers={"X-Field-Sync": "1"})
    errors = response.json()["errors"]
    assert errors["category"] == ["请选择事件类别"]
    assert errors["grid"] == ["请选择所属网格"]
    assert errors["description"] == ["请填写事件描述"]
    assert errors["client_token"] == ["缺少草稿标识，请刷新页面后重新提交"]


def test_staff_without_add_permission_cannot_report(client, tree, categories):
    from django.contrib.auth.models import Group

    from portal import groups
    from portal.snippets.models import StaffRegion

    groups.ensure_groups()
    member = get_user_model().objects.create_user(username="jiandu", password="pw")
    member.groups.add(Group.objects.get(name=groups.SUPERVISION_COMMITTEE))
    StaffRegion.objects.create(user=member, region=tree.xiling)
    client.force_login(member)
    assert client.get("/field/report/").status_code == 403
    response = client.post("/field/report/", report_data(tree, categories))
    assert response.status_code == 403 and not Case.objects.exists()


# --- CSRF on the sync path -------------------------------------------------------------------


def test_sync_post_needs_a_csrf_token_and_the_token_endpoint_gives_one(users, tree, categories):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users.xiling)
    data = report_data(tree, categories)
    refused = browser.post("/field/report/", data, headers={"X-Field-Sync": "1"})
    assert refused.status_code == 403
    assert not Case.objects.exists()
    fresh = browser.get("/field/sync/token/", headers={"X-Field-Sync": "1"}).json()
    assert fresh["user"] == "xiling"
    sent = browser.post(
        "/field/report/", data, headers={"X-Field-Sync": "1", "X-CSRFToken": fresh["csrfToken"]}
    )
    assert sent.status_code == 200 and sent.json()["created"] is True


# --- the next steps ---------------------------------------------------------------------------


def shown_of(case):
    return {
        "shown_status": case.status,
        "shown_tier": case.tier,
        "shown_revision": str(case.revision),
    }


def test_only_the_allowed_steps_are_buttons_and_a_stale_click_is_refused(
    worker_client, tree, make_case, users
):
    case = make_case(grid=tree.grids.xiling, user=users.xiling)
    page = worker_client.get(f"/field/cases/{case.pk}/").content.decode()
    buttons = re.findall(r"确认([^<]+)</button>", page)
    assert buttons == ["分拨", "上报升级"]
    before = shown_of(case)
    done = worker_client.post(
        f"/field/cases/{case.pk}/act/dispatch/",
        {**before, "dispatch-handler_unit": "西岭村村委会"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DISPATCHED and case.handler_unit == "西岭村村委会"
    assert "已分拨" in done.content.decode()
    # the same form posted again (a second tap): refused, nothing moves
    again = worker_client.post(
        f"/field/cases/{case.pk}/act/dispatch/",
        {**before, "dispatch-handler_unit": "另一个单位"},
        follow=True,
    )
    assert "案件状态已变化，请刷新后重试" in again.content.decode()
    case.refresh_from_db()
    assert case.handler_unit == "西岭村村委会" and case.revision == 1


def test_a_step_not_allowed_now_is_refused(worker_client, tree, make_case, users):
    case = make_case(grid=tree.grids.xiling, user=users.xiling)
    response = worker_client.post(
        f"/field/cases/{case.pk}/act/close/",
        {**shown_of(case), "close-resolution": "已处理"},
        follow=True,
    )
    assert "不能执行“办结”" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    walk(case, users.town, "dispatch", "handle")
    # 采办分离: the discoverer may not close their own case
    page = worker_client.get(f"/field/cases/{case.pk}/").content.decode()
    assert "确认办结" not in page
    refused = worker_client.post(
        f"/field/cases/{case.pk}/act/close/",
        {**shown_of(case), "close-resolution": "已处理"},
        follow=True,
    )
    assert "采办分离" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.HANDLING


def test_a_step_missing_its_input_is_shown_again_with_the_reason(
    worker_client, tree, make_case, users
):
    case = make_case(grid=tree.grids.xiling, user=users.xiling)
    response = worker_client.post(f"/field/cases/{case.pk}/act/escalate/", shown_of(case))
    assert response.status_code == 400
    assert "上报升级必须填写原因" in response.content.decode()
    case.refresh_from_db()
    assert case.tier == Case.Tier.GRID


# --- the service worker and Chinese pages ------------------------------------------------------


def test_service_worker_is_served_from_field_with_its_scope(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert b"caches" in response.content


def test_every_field_page_is_chinese(worker_client, client, tree, make_case, users):
    case = make_case(grid=tree.grids.xiling, user=users.xiling)
    pages = ["/field/", "/field/cases/", "/field/cases/?tab=open", "/field/cases/?tab=followup"]
    pages += [f"/field/cases/{case.pk}/", "/field/report/", "/field/offline/"]
    usernames = list(get_user_model().objects.values_list("username", flat=True))  # data
    for url in pages:
        response = worker_client.get(url)
        assert response.status_code == 200, url
        assert english_on_page(response.content.decode(), usernames) == [], url
    anonymous = Client().get("/field/login/")
    assert english_on_page(anonymous.content.decode(), ["testserver"]) == []


def test_lists_cost_the_same_for_five_cases_or_twenty(
    worker_client, tree, make_case, users, settings
):
    settings.PAGE_CACHE_ENABLED = False

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert worker_client.get(url).status_code == 200
        return len(queries)

    for _ in range(5):
        make_case(grid=tree.grids.xiling, user=users.xiling)
    few = {url: cost(url) for url in ("/field/", "/field/cases/?tab=open")}
    for _ in range(15):
        make_case(grid=tree.grids.xiling, user=users.xiling)
    many = {url: cost(url) for url in ("/field/", "/field/cases/?tab=open")}
    assert many == few
