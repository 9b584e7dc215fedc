"""A grid worker on a cheap phone: signs in at /field/, reports with a photo, works offline.

Everything is done by tapping and typing at a phone viewport; the database is
only read to check what the pages claim (one case, its photo, the dispatcher's
list). The network is cut in the browser itself (``context.set_offline``), so
the offline path is the real one: the draft goes to IndexedDB and is sent by
the page's script when the connection returns.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from portal import groups
from portal.cases.models import Case, CaseCategory
from portal.snippets.models import Grid, Region, StaffRegion

from .helpers import DESKTOP, MOBILE, log_in

PASSWORD = "Wgy-口令-2026"


@pytest.fixture
def worker(site):
    """A 网格员 of 西岭村 with a known password (the demo's own has none)."""
    user, created = get_user_model().objects.get_or_create(
        username="e2e_field_worker", defaults={"last_name": "周", "first_name": "建国"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=groups.GRID_WORKER))
        StaffRegion.objects.create(user=user, region=Region.objects.get(name="西岭村"))
    return user


def field_log_in(page, username, password=PASSWORD):
    page.goto("/field/")
    expect(page).to_have_url(re.compile(r"/field/login/\?next=/field/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/field/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的网格")


def phone_photo(path):
    image = Image.new("RGB", (800, 600), (90, 140, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 30.0), 3: "E", 4: (114.0, 4.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def fill_report(page, grid, category, text):
    page.get_by_label("事件类别").select_option(label=category.name)
    page.get_by_label("所属网格").select_option(label=f"{grid.region.name} · {grid.name}")
    page.get_by_label("事件描述").fill(text)
    page.get_by_label("发生地点").fill("西岭村文化广场东侧")


def test_worker_reports_a_case_with_a_photo_and_the_dispatcher_sees_it(
    site, worker, open_page, tmp_path
):
    grid = Grid.objects.filter(region__name="西岭村").order_by("code").first()
    category = CaseCategory.objects.order_by("name").first()
    text = "文化广场路灯三盏不亮，夜间行人看不清台阶。"
    page = open_page(MOBILE)
    field_log_in(page, worker.username)

    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="上报事件").click()
    fill_report(page, grid, category, text)
    page.get_by_label("现场照片（最多3张）").set_input_files(
        str(phone_photo(tmp_path / "现场.jpg"))
    )
    page.get_by_role("button", name="提交上报").click()

    expect(page.get_by_role("status").filter(has_text="事件已上报")).to_be_visible()
    case = Case.objects.get(description=text)
    assert case.discoverer == worker and case.grid == grid
    assert case.photos.count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_text(case.title)
    expect(page.get_by_role("img", name="现场照片 1")).to_be_visible()

    dispatcher = open_page(DESKTOP)
    log_in(dispatcher, site.accounts["town_admin"])
    dispatcher.goto(f"/admin/cases/case/?q={case.number}")
    row = dispatcher.get_by_role("row").filter(has_text=case.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.title)
    expect(row).to_contain_text("受理")


def test_a_report_typed_offline_is_sent_once_when_the_connection_returns(
    site, worker, open_page, tmp_path
):
    grid = Grid.objects.filter(region__name="西岭村").order_by("code").first()
    category = CaseCategory.objects.order_by("name").first()
    text = "离线上报：村西桥头护栏松动，需尽快加固。"
    page = open_page(MOBILE)
    field_log_in(page, worker.username)
    page.goto("/field/report/")
    # The service worker is served with a scope covering the whole workspace.
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{site.url}/field/"

    page.context.set_offline(True)
    fill_report(page, grid, category, text)
    page.get_by_label("现场照片（最多3张）").set_input_files(
        str(phone_photo(tmp_path / "桥头.jpg"))
    )
    page.get_by_role("button", name="提交上报").click()
    expect(page.locator("#net-status")).to_contain_text("内容已保存在本机")
    expect(page.locator("#drafts")).to_contain_text("上报事件")
    expect(page.locator("#drafts")).to_contain_text("含照片 1 张")
    assert not Case.objects.filter(description=text).exists()

    page.context.set_offline(False)
    expect(page.locator("#net-status")).to_contain_text("草稿已发送")
    expect(page.locator("#drafts")).to_be_hidden()
    case = Case.objects.get(description=text)
    assert case.photos.count() == 1, "离线保存的照片应随草稿一起发送"
    page.reload()
    expect(page.locator("#drafts")).to_be_hidden()
    assert Case.objects.filter(description=text).count() == 1


@pytest.fixture
def elder(site):
    """An 独居老人 of 西岭村 last seen a month ago (the demo has no care register)."""
    from portal.care import services as care
    from portal.care.models import CareObject
    from tests.registers.conftest import valid_id

    grid = Grid.objects.filter(region__name="西岭村").order_by("code").first()
    existing = CareObject.objects.filter(name="孙玉珍").first()
    if existing is not None:
        return existing
    person = CareObject(
        grid=grid,
        kind=CareObject.Kind.ALONE_ELDERLY,
        name="孙玉珍",
        address="西岭村三组12号",
        created_at=timezone.now() - datetime.timedelta(days=30),
    )
    care.seal_id_number(person, valid_id(37, born=datetime.date(1938, 2, 11)))
    person.save()
    return person


def test_a_visit_recorded_offline_is_saved_once_when_the_connection_returns(
    site, worker, elder, open_page
):
    from portal.care.models import Visit

    page = open_page(MOBILE)
    field_log_in(page, worker.username)
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="今日走访").click()
    due = page.get_by_role("listitem").filter(has_text=elder.name)
    expect(due).to_contain_text("连续两个周期未走访")
    due.get_by_role("link", name=elder.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"走访：{elder.name}")

    page.context.set_offline(True)
    page.get_by_label("情况异常，需要关注").check()
    page.get_by_label("发现需求").fill("老人感冒两天，家中退烧药已用完。")
    page.get_by_label("后续跟进").fill("明天上午送药并联系村医上门。")
    page.get_by_role("button", name="保存走访记录").click()
    expect(page.locator("#net-status")).to_contain_text("内容已保存在本机")
    expect(page.locator("#drafts")).to_contain_text(f"走访{elder.name}")
    assert not Visit.objects.filter(care_object=elder).exists()

    page.context.set_offline(False)
    expect(page.locator("#net-status")).to_contain_text("草稿已发送")
    expect(page.locator("#drafts")).to_be_hidden()
    visit = Visit.objects.get(care_object=elder)
    assert visit.worker == worker and not visit.found_well
    assert visit.needs == "老人感冒两天，家中退烧药已用完。"

    page.goto("/field/visits/")
    recent = page.get_by_role("listitem").filter(has_text=elder.name)
    expect(recent).to_have_count(1)
    expect(recent).to_contain_text("情况异常")
    assert Visit.objects.filter(care_object=elder).count() == 1
