"""The disclosure editor shows running totals while the clerk types finance lines."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from .helpers import DESKTOP, log_in


def test_running_totals_follow_the_typed_lines(site, open_page):
    from portal.pages.models import DisclosureIndexPage

    board = DisclosureIndexPage.objects.get(region__name="南坪村")
    editor = open_page(DESKTOP)
    log_in(editor, site.accounts["editor"])
    editor.goto(reverse("wagtailadmin_pages:add", args=("pages", "disclosurepage", board.pk)))
    totals = editor.locator("[data-finance-totals]")
    expect(totals).to_contain_text("收入 0.00 元")

    editor.locator("#id_opening_balance").fill("1000")
    add = editor.get_by_role("button", name=re.compile("收支明细"))
    add.click()
    editor.locator("[name='finance_items-0-direction']").select_option("income")
    editor.locator("[name='finance_items-0-amount']").fill("0.1")
    add.click()
    editor.locator("[name='finance_items-1-direction']").select_option("income")
    editor.locator("[name='finance_items-1-amount']").fill("0.2")
    add.click()
    editor.locator("[name='finance_items-2-direction']").select_option("expense")
    editor.locator("[name='finance_items-2-amount']").fill("300.5")
    expect(totals).to_contain_text("收入 0.30 元，支出 300.50 元，期末余额 699.80 元")

    # Changing a line's direction moves it to the other total at once.
    editor.locator("[name='finance_items-2-direction']").select_option("income")
    expect(totals).to_contain_text("收入 300.80 元，支出 0.00 元，期末余额 1300.80 元")
