"""今日走访 and 巡查 on the phone: scope, once-only visits, a need becoming a case, rounds."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.care.models import Round, Visit
from portal.cases.models import Case
from tests.admin.english import english_on_page
from tests.care.conftest import make_care_object

from .conftest import token

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(care):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    return {
        "mine": make_care_object(
            care.grid_b, "王秀英", 1, created_at=long_ago, address="西岭村5组"
        ),
        "theirs": make_care_object(care.grid_a, "李桂兰", 2, created_at=long_ago),
        "far": make_care_object(care.grid_c, "赵德明", 3, created_at=long_ago),
    }


@pytest.fixture
def worker(client, care):
    client.force_login(care.worker_b)
    return client


def visit_data(**extra):
    data = {"found_well": "1", "needs": "", "follow_up": "", "client_token": token()}
    data.update(extra)
    return data


def test_worker_sees_only_the_care_objects_of_their_grids(worker, people):
    listing = worker.get("/field/visits/").content.decode()
    assert "王秀英" in listing
    assert "李桂兰" not in listing and "赵德明" not in listing
    assert "逾期" in listing
    home = worker.get("/field/").content.decode()
    assert "待走访 1 人" in home
    for other in (people["theirs"], people["far"]):
        assert worker.get(f"/field/visits/{other.pk}/").status_code == 404
        assert worker.post(f"/field/visits/{other.pk}/", visit_data()).status_code == 404
    assert not Visit.objects.exists()


def test_opening_a_persons_visit_form_is_logged(worker, people, care):
    page = worker.get(f"/field/visits/{people['mine'].pk}/")
    assert "西岭村5组" in page.content.decode()
    entry = ModelLogEntry.objects.get(action="portal.view_care_object")
    assert entry.user_id == care.worker_b.pk and entry.object_id == str(people["mine"].pk)


def test_a_visit_sent_twice_with_one_token_is_recorded_once(worker, people):
    data = visit_data(visited_at="2026-11-30T09:15")
    url = f"/field/visits/{people['mine'].pk}/"
    first = worker.post(url, data, headers={"X-Field-Sync": "1"})
    again = worker.post(url, data, headers={"X-Field-Sync": "1"})
    assert first.json()["created"] is True and again.json()["created"] is False
    assert "未重复登记" in again.json()["message"]
    visit = Visit.objects.get()
    local = timezone.localtime(visit.visited_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 11, 30), 9, 15)
    listing = worker.get("/field/visits/").content.decode()
    due_part = listing.split("<h1>今日走访</h1>")[1].split("我最近的走访")[0]
    assert "共 0 人" in due_part and "王秀英" not in due_part


def test_a_need_becomes_a_case_in_one_step(worker, people, care):
    data = visit_data(
        found_well="0",
        needs="老人腿脚不便，楼道灯坏了，夜间出入危险。",
        raise_case="on",
        case_category=care.category.pk,
    )
    response = worker.post(f"/field/visits/{people['mine'].pk}/", data, follow=True)
    visit = Visit.objects.get()
    case = Case.objects.get()
    assert visit.case == case and case.grid == care.grid_b
    assert case.discoverer == care.worker_b and case.source == Case.Source.GRID_WORKER
    assert "王秀英" not in case.title and "王秀英" not in case.description
    assert f"需求已转为案件 {case.number}" in response.content.decode()


def test_refusals_are_chinese_and_write_nothing(worker, people, care):
    url = f"/field/visits/{people['mine'].pk}/"
    unwell = worker.post(url, visit_data(found_well="0"))
    assert unwell.status_code == 400
    assert "情况异常时，请填写发现的需求或后续跟进措施" in unwell.content.decode()
    no_category = worker.post(url, visit_data(raise_case="on", needs="需要代购药品"))
    assert "转为案件时请选择案件类别" in no_category.content.decode()
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    late = worker.post(url, visit_data(visited_at=future), headers={"X-Field-Sync": "1"})
    assert late.json()["errors"]["visited_at"] == ["走访时间不能晚于当前时间"]
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_visit_sync_needs_a_csrf_token(care, people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(care.worker_b)
    url = f"/field/visits/{people['mine'].pk}/"
    data = visit_data()
    assert browser.post(url, data, headers={"X-Field-Sync": "1"}).status_code == 403
    fresh = browser.get("/field/sync/token/", headers={"X-Field-Sync": "1"}).json()["csrfToken"]
    sent = browser.post(url, data, headers={"X-Field-Sync": "1", "X-CSRFToken": fresh})
    assert sent.status_code == 200 and Visit.objects.count() == 1


def test_start_and_finish_todays_round_once(worker, care):
    page = worker.get("/field/rounds/").content.decode()
    assert "西岭第一网格" in page and "东湖第一网格" not in page
    started = worker.post(
        f"/field/rounds/start/{care.grid_b.pk}/", {"client_token": token()}, follow=True
    )
    assert "今日巡查已开始" in started.content.decode()
    again = worker.post(
        f"/field/rounds/start/{care.grid_b.pk}/", {"client_token": token()}, follow=True
    )
    assert "无需重复开始" in again.content.decode()
    patrol = Round.objects.get()
    finished = worker.post(
        f"/field/rounds/{patrol.pk}/finish/", {"notes": "路面有积水"}, follow=True
    )
    assert "今日巡查已结束，途中上报案件 0 件" in finished.content.decode()
    patrol.refresh_from_db()
    assert patrol.finished_at is not None and patrol.notes == "路面有积水"
    twice = worker.post(f"/field/rounds/{patrol.pk}/finish/", {}, follow=True)
    assert "该巡查已于" in twice.content.decode()


def test_rounds_of_other_grids_are_out_of_reach(worker, care):
    assert worker.post(f"/field/rounds/start/{care.grid_a.pk}/", {}).status_code == 404
    assert not Round.objects.exists()
    other = Client()
    other.force_login(care.worker_a)
    other.post(f"/field/rounds/start/{care.grid_a.pk}/", {})
    theirs = Round.objects.get()
    assert worker.post(f"/field/rounds/{theirs.pk}/finish/", {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.finished_at is None


def test_care_pages_are_chinese(worker, people, care):
    usernames = [care.worker_b.username]
    for url in [
        "/field/",
        "/field/visits/",
        f"/field/visits/{people['mine'].pk}/",
        "/field/rounds/",
    ]:
        response = worker.get(url)
        assert response.status_code == 200, url
        assert english_on_page(response.content.decode(), usernames) == [], url
