"""A town admin imports a messy volunteer roster through the admin's 数据导入 page.

The sheet looks like the ones village offices really send: a merged title row,
a 填报单位 line above the header, header variants (公民身份号码, 联系电话,
出生年月, 网格编码 …), full-width digits, and one ID number with a wrong check
digit. The admin sees the error named by row and column, fixes the file,
uploads it again, confirms, and finds the new volunteer (ID masked) in the list.
"""

import openpyxl
from playwright.sync_api import expect

from portal.snippets.models import Grid, Volunteer
from portal.snippets.pii import hash_id_number, id_check_code, mask_id_number

from .helpers import DESKTOP, log_in

HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "联系电话",
    "出生年月",
    "政治面貌",
    "网格编码",
    "志愿服务队",
    "特长",
    "登记日期",
    "服务时长",
    "备注",
]


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def id_number(first17, *, valid=True):
    check = id_check_code(first17)
    if not valid:
        check = "0" if check != "0" else "1"
    return first17 + check


def write_roster(path, people, grid_code):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["青石街道西岭村志愿者花名册（冬季新增）"])
    sheet.append(
        ["填报单位：西岭村村民委员会（盖章）", None, None, None, "填报日期：2026年11月20日"]
    )
    sheet.append(HEADER)
    for number, (name, gender, id_text, phone, born, hours) in enumerate(people, start=1):
        sheet.append(
            [
                number,
                name,
                gender,
                id_text,
                phone,
                born,
                "党员" if number == 1 else "群众",
                grid_code,
                "西岭村巾帼志愿服务队",
                "医疗、急救",
                "2026-11-01",
                hours,
                "",
            ]
        )
    sheet.merge_cells("A1:M1")
    workbook.save(path)
    return path


def upload(page, path):
    page.get_by_label("数据类型").select_option(label="志愿者")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()


def test_admin_fixes_a_messy_roster_and_finds_the_new_volunteer(site, open_page, tmp_path):
    grid = Grid.objects.filter(region__name="西岭村", live=True).order_by("code").first()
    ouyang = id_number("41152319880512346")  # female (even 17th digit)
    sima = id_number("41152319790823515")  # male
    shangguan = id_number("41152319950304228")  # female: the one mistyped at first
    known = Volunteer.objects.filter(
        id_number_hash__in=[hash_id_number(n) for n in (ouyang, sima, shangguan)]
    )
    assert not known.exists(), "测试用身份证号与演示数据重复"
    people = [
        ("欧阳晓春", "女", full_width(ouyang), full_width("13907761234"), "1988.05", "８"),
        ("司马明远", "男", sima, "139-0776-5678", "", ""),
        ("上官文静", "女", id_number(shangguan[:17], valid=False), "13607763456", "", "2.5"),
    ]
    messy = write_roster(tmp_path / "西岭村志愿者花名册.xlsx", people, grid.code)

    page = open_page(DESKTOP)
    log_in(page, site.accounts["town_admin"])
    page.get_by_role("link", name="数据导入").click()
    upload(page, messy)

    # The preview: nothing written, the bad cell named by its row and column.
    expect(page.get_by_text("整个文件未导入")).to_be_visible()
    counts = page.locator("table.imports-counts tbody td")
    expect(counts).to_have_text(["2", "0", "0", "1"])  # 新增, 更新, 未变化, 错误
    errors = page.get_by_role("table").filter(has_text="问题")
    bad = errors.get_by_role("row").filter(has_text="第 6 行")
    expect(bad).to_contain_text("公民身份号码")
    expect(bad).to_contain_text("校验位错误")
    expect(errors.get_by_role("row")).to_have_count(2)  # header + the one error
    page_text = page.content()
    assert ouyang not in page_text and sima not in page_text  # only masked IDs in the preview

    # The fixed file goes through.
    people[2] = ("上官文静", "女", shangguan, "13607763456", "", "2.5")
    fixed = write_roster(tmp_path / "西岭村志愿者花名册（已改）.xlsx", people, grid.code)
    page.get_by_role("link", name="返回数据导入").click()
    upload(page, fixed)
    expect(page.get_by_text("待确认", exact=True)).to_be_visible()
    expect(counts).to_have_text(["3", "0", "0", "0"])
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("status").filter(has_text="导入完成")).to_contain_text("新增 3 行")

    # The new volunteer is in the register, ID masked.
    page.get_by_role("button", name="网格与志愿者").click()
    page.get_by_role("link", name="志愿者", exact=True).click()
    page.get_by_label("搜索条件").fill("上官文静")
    row = page.get_by_role("row").filter(has_text="上官文静")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(mask_id_number(shangguan))
    expect(row).to_contain_text(grid.name)
    assert shangguan not in page.content()
