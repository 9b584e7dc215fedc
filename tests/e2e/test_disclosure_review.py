"""An editor drafts a disclosure, the village's supervision committee approves it, it goes public.

The workflow is the one the demo loader assigns to 南坪村's disclosure index
(portal.pages.permissions): editors may write but not publish there, and only
a member of 南坪村村务监督委员会 may approve.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from .helpers import DESKTOP, MOBILE, current_quarter, log_in

SUBMIT = "提交给村务公开审核（南坪村）"


def _public_village_index(page):
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="村务公开").click()
    page.get_by_role("link", name="南坪村村务公开栏").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("南坪村村务公开栏")


def test_editor_drafts_committee_approves_and_it_appears_publicly(site, open_page):
    year, quarter = current_quarter(timezone.localdate())
    title = f"南坪村{year}年第{quarter}季度太阳能路灯维修情况公开"
    summary = "本季度维修村内太阳能路灯12盏，费用由村集体经费列支。"
    accounts = site.accounts

    # --- the editor drafts it under 南坪村's disclosure index -----------------------------
    editor = open_page(DESKTOP)
    log_in(editor, accounts["editor"])
    editor.goto("/admin/pages/")
    editor.get_by_role("link", name="查看'村务公开'的子页面").click()
    editor.get_by_role("link", name="查看'南坪村村务公开栏'的子页面").click()
    # a village board takes only disclosures, so Wagtail opens their form directly
    editor.get_by_role("link", name="添加子页面").first.click()

    editor.get_by_role("textbox", name="标题*", exact=True).fill(title)
    editor.get_by_label("公开类别").select_option(label="村务公开")
    editor.get_by_label("公开期次类型").select_option(label="季度")
    editor.get_by_label("年度").fill(str(year))
    editor.get_by_label("月份/季度").fill(str(quarter))
    editor.get_by_role("textbox", name="摘要").fill(summary)

    # The action menu offers saving and the committee's review, never publishing.
    editor.get_by_role("button", name="更多动作").click()
    expect(editor.get_by_role("button", name=SUBMIT)).to_be_visible()
    expect(editor.get_by_role("button", name="保存草稿")).to_be_visible()
    expect(editor.get_by_role("button", name=re.compile("^发布"))).to_have_count(0)

    # Even a hand-made "publish" request only saves a draft.
    editor.locator("form#page-edit-form").evaluate(
        """form => {
            const publish = document.createElement('input');
            publish.type = 'hidden';
            publish.name = 'action-publish';
            publish.value = 'action-publish';
            form.appendChild(publish);
            form.requestSubmit();
        }"""
    )
    expect(editor.get_by_text(re.compile(f"{re.escape(title)}.*已创建"))).to_be_visible()
    resident = open_page(MOBILE)
    _public_village_index(resident)
    expect(resident.get_by_role("link", name=title)).to_have_count(0)

    # Now the proper way: submit it for the committee's review.
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name=SUBMIT).click()
    expect(editor.get_by_text(re.compile(f"{re.escape(title)}.*提交.*审核"))).to_be_visible()
    row = editor.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("审核中")

    _public_village_index(resident)
    expect(resident.get_by_role("link", name=title)).to_have_count(0)

    # --- a member of 南坪村's supervision committee approves it from the dashboard -------
    committee = open_page(DESKTOP)
    log_in(committee, accounts["committee"])
    waiting = committee.get_by_role("region", name="等待你的审查")
    task = waiting.get_by_role("row").filter(has_text=title)
    expect(task).to_contain_text(accounts["editor"].given_name)  # submitted by
    task.get_by_role("button", name="操作").click()
    task.get_by_role("button", name="批准", exact=True).click()
    expect(committee.get_by_role("row").filter(has_text=title)).to_have_count(0)

    # --- any resident now finds it on the village's board, with the approver named -------
    _public_village_index(resident)
    resident.get_by_role("link", name=title).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(title)
    expect(resident.get_by_text(summary)).to_be_visible()
    approval = resident.locator("p").filter(has_text="审核人：")
    expect(approval).to_contain_text(accounts["committee"].display_name)
    expect(approval).to_contain_text("南坪村村务监督委员会审核")
