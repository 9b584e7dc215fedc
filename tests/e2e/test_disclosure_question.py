"""A villager asks about a disclosure on a phone, the committee answers, the villager reads it.

And the compliance table, on the same phone: per village, the latest period
first, no column squeezed to one character, no sideways scrolling.
"""

import re

from playwright.sync_api import expect

from .helpers import DESKTOP, MOBILE, log_in

QUESTION = "请问本期公开中的路灯维修费用是哪几家单位施工的？"
ANSWER = "路灯维修由县供电所施工，合同已张贴在村委会公开栏。"


def _a_nanping_disclosure():
    from portal.pages.models import DisclosurePage

    page = DisclosurePage.objects.live().filter(region__name="南坪村").order_by("path").first()
    assert page is not None, "演示数据中南坪村没有已发布的公开内容"
    return page


def test_villager_asks_committee_answers_villager_sees_it(site, open_page):
    disclosure = _a_nanping_disclosure()
    villager = open_page(MOBILE)
    villager.goto(disclosure.url)
    expect(villager.get_by_role("heading", level=1)).to_have_text(disclosure.title)

    # --- the villager asks, with name and phone (both private) ---------------------------
    ask = villager.get_by_role("complementary", name="对公开内容有疑问？")
    ask.get_by_label("姓名").fill("韦秀英")
    ask.get_by_label("联系电话").fill("13698765432")
    ask.get_by_label(re.compile("您的问题")).fill(QUESTION)
    ask.get_by_role("button", name="提交询问").click()
    expect(villager.get_by_role("heading", name="询问已提交")).to_be_visible()
    expect(villager.get_by_text("10日内答复")).to_be_visible()
    # Sending it twice (a double tap, a reload) is refused politely.
    villager.go_back()
    villager.get_by_role("button", name="提交询问").click()
    expect(villager.locator(".form-errors")).to_contain_text("请勿重复提交")

    # --- a member of 南坪村's supervision committee answers in the admin ------------------
    committee = open_page(DESKTOP)
    log_in(committee, site.accounts["committee"])
    panel = committee.get_by_role("region", name=re.compile("村民询问"))
    panel.get_by_role("link", name=disclosure.title).first.click()
    expect(committee.get_by_role("definition").filter(has_text=QUESTION)).to_be_visible()
    expect(committee.get_by_text("13698765432")).to_be_visible()  # to call back
    expect(committee.get_by_text(re.compile("待答复（剩 10 天）"))).to_be_visible()
    committee.get_by_label(re.compile("^答复内容")).fill(ANSWER)
    expect(committee.get_by_label(re.compile("^在公开内容下方公开"))).to_be_checked()
    committee.get_by_role("button", name="提交答复").click()
    expect(committee.get_by_text("已答复，答复已显示在公开内容下方。")).to_be_visible()

    # --- the villager (or anyone) sees the answer, the asker anonymised --------------------
    villager.goto(disclosure.url)
    answers = villager.get_by_role("region", name=re.compile("村民询问与答复"))
    expect(answers).to_contain_text(QUESTION)
    expect(answers).to_contain_text(ANSWER)
    expect(answers).to_contain_text("韦**")
    body = villager.locator("body").inner_text()
    assert "韦秀英" not in body and "13698765432" not in body


def test_compliance_on_a_phone(site, open_page):
    phone = open_page(MOBILE)
    phone.goto("/disclosures/compliance/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("村务公开情况")
    # No sideways scrolling on a 390 px screen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], width
    # Every visible cell of both tables is wide enough for words, not one character.
    narrow = phone.evaluate(
        """() => [...document.querySelectorAll(
              '.compliance-summary td, .compliance-summary th, .compliance-matrix td, .compliance-matrix th')]
            .filter(el => !el.closest('thead') && el.offsetParent !== null && el.getClientRects().length)
            .map(el => [el.getBoundingClientRect().width, el.textContent.trim().slice(0, 12)])
            .filter(([w, text]) => text && w < 48)"""
    )
    assert not narrow, narrow[:10]
    # Each village's figures say what they are.
    labels_shown = phone.evaluate(
        """() => [...document.querySelector('.compliance-summary tbody tr').querySelectorAll('td')]
            .map(td => getComputedStyle(td, '::before').content)"""
    )
    assert labels_shown[0] == '"按时："' and labels_shown[-1] == '"逾期未答复询问："', labels_shown
    # The latest period comes first in each item's row.
    labels = phone.locator(".compliance-matrix tbody tr").first.locator(".cell-period")
    texts = [t.replace("（最新一期）", "") for t in labels.all_inner_texts()]
    keys = [tuple(int(n) for n in re.findall(r"\\d+", t)) for t in texts]
    assert keys == sorted(keys, reverse=True), texts
