"""A resident reports a problem from a phone, staff take it round the loop in the admin,
the resident follows it with the number and query code, rates it 不满意 and sees it reopened.
"""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from portal.cases.models import Case, CaseCategory, CasePhoto
from portal.snippets.models import Grid

from .helpers import DESKTOP, log_in


def _photo_with_gps():
    image = Image.new("RGB", (800, 600), (40, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 30.0), 3: "E", 4: (114.0, 4.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return {"name": "路灯.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _take_step(page, label, **fields):
    action = page.locator("details.case-action").filter(
        has=page.locator("summary", has_text=re.compile(f"^{label}$"))
    )
    action.locator("summary").click()
    for field_label, value in fields.items():
        action.get_by_label(field_label).fill(value)
    action.get_by_role("button", name=f"确认{label}").click()
    expect(page.get_by_text(re.compile(f"已{label}，当前状态"))).to_be_visible()


def test_resident_reports_tracks_and_reopens(site, open_page, page):
    grid = Grid.objects.filter(region__name="西岭村", live=True).order_by("code").first()
    category = CaseCategory.objects.filter(is_dispute=False).order_by("name").first()

    # --- the resident, on a phone -------------------------------------------------------
    page.goto("/cases/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我要反映")
    page.get_by_label("事件类别").select_option(label=category.name)
    page.get_by_label("发生了什么").fill("村口路灯坏了两个星期，晚上老人出门看不清路。")
    page.get_by_label("所在网格").select_option(value=str(grid.pk))
    page.get_by_label("具体地点").fill("村口石桥边")
    page.get_by_label("照片（可选，最多 3 张）").set_input_files([_photo_with_gps()])
    page.get_by_label("您的姓名").fill("上官玉珍")
    page.get_by_label("联系电话").fill("13677778888")
    page.get_by_role("checkbox", name=re.compile("我已阅读上述说明")).check()
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功，已受理")
    number = page.locator(".case-number").inner_text().strip()
    code = page.locator(".query-code").inner_text().replace(" ", "")
    assert re.fullmatch(r"AJ\d{10}", number) and re.fullmatch(r"\d{8}", code)
    case = Case.objects.get(number=number)
    assert case.get_source_display() == "网上诉求" and case.grid == grid
    photo = CasePhoto.objects.get(case=case)
    assert b"PhoneMaker" not in photo.image.read()

    # --- staff, at the office: dispatch, handle, close in the admin ----------------------
    staff = open_page(DESKTOP)
    log_in(staff, site.accounts["town_admin"])
    staff.goto("/admin/cases/case/?status__exact=accepted")
    staff.get_by_role("link", name=number).click()
    expect(staff.get_by_role("heading", name="照片")).to_be_visible()
    _take_step(staff, "分拨", 处置单位="西岭村村委会")
    _take_step(staff, "处置")
    _take_step(staff, "办结", 处置结果="已更换路灯灯泡")

    # --- the resident follows it and rates it 不满意 -------------------------------------
    page.goto("/cases/track/")
    page.get_by_label("案件编号").fill(number)
    page.get_by_label("查询码").fill(code[:4] + " " + code[4:])
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-state")).to_have_text("已办结")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("已分拨至承办单位")
    expect(timeline).to_contain_text("已更换路灯灯泡")
    expect(page.locator("main")).not_to_contain_text("钱志刚")  # the staff member's name
    page.get_by_label("不满意").check()
    page.get_by_label("意见和建议（可选）").fill("只亮了一天又坏了")
    page.get_by_role("button", name="提交评价").click()

    expect(page.get_by_role("status")).to_contain_text("重新交办")
    expect(page.locator("#case-state")).to_have_text("办理中")
    expect(page.locator("ol.timeline")).to_contain_text("群众不满意，重新办理")
    case.refresh_from_db()
    assert case.status == Case.Status.DISPATCHED and case.satisfaction == "unsatisfied"

    # the staff see it back on the dispatcher's desk
    staff.goto("/admin/cases/case/?status__exact=dispatched")
    expect(staff.get_by_role("link", name=number)).to_be_visible()
