"""Small steps shared by the browser scenarios."""

import re

from playwright.sync_api import expect

MOBILE = {"width": 390, "height": 844}  # a resident's phone
DESKTOP = {"width": 1280, "height": 900}  # an office computer


def log_in(page, account):
    """Sign in through the Wagtail login form, as a person would."""
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill(account.username)
    page.get_by_label("密码").fill(account.password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def previous_quarter(today):
    """(year, quarter) of the last finished quarter before ``today``."""
    quarter = (today.month - 1) // 3 + 1
    if quarter == 1:
        return today.year - 1, 4
    return today.year, quarter - 1


def current_quarter(today):
    return today.year, (today.month - 1) // 3 + 1


def yuan(amount):
    """An amount as the public pages print it: ¥12,345.60."""
    return f"¥{amount:,.2f}"
