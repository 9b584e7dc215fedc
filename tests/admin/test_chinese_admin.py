"""The admin speaks Chinese to every role: a crawl of every screen each role can reach.

Each role (superuser, town admin, 宣传编辑, 村务监督委员会, 网格员) logs in and walks
the admin from the dashboard and its sidebar menu (``walker``), following every
admin link it meets — listings, add and edit forms, reports, settings, import
pages, case views — plus the edit form of every page in the tree. Every screen
must answer without a server error and show no English UI word
(``english.ALLOWED_WORDS`` lists the few Latin words that belong on a screen).
"""

import os
import pathlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page, Site, Task, Workflow

from portal.admin_display import chinese_full_name
from portal.cases.models import CaseCategory
from portal.pages.templatetags.portal_tags import cn_value, plain_number
from tests.admin import english, walker

ROLES = ["superuser", "town_admin", "editor", "committee", "grid_worker"]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Each role must at least reach this many screens: a walk that silently stops
# (a login redirect, a broken menu) must not pass as "no English found".
MIN_SCREENS = {"superuser": 60, "town_admin": 25, "editor": 15, "committee": 6, "grid_worker": 8}


def data_values():
    """Strings that are data, not UI: user names, e-mails, slugs, codes, host names."""
    values = set()
    for user in get_user_model().objects.all():
        values.update({user.username, user.email})
    values.update(Page.objects.values_list("slug", flat=True))
    values.update(Site.objects.values_list("hostname", flat=True))
    values.update(CaseCategory.objects.values_list("code", flat=True))
    return sorted((v for v in values if v), key=len, reverse=True)


def crawl(user):
    client = Client()
    client.force_login(user)
    one_page_per_type = {}
    for page in Page.objects.filter(depth__gt=1).order_by("path"):
        one_page_per_type.setdefault(page.content_type_id, page.pk)
    seeds = [reverse("wagtailadmin_pages:edit", args=[pk]) for pk in one_page_per_type.values()]
    return walker.walk(client, seeds=seeds)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_screen_of_the_role_is_chinese(admin_world, role):
    user = getattr(admin_world.users, role)
    screens = crawl(user)
    shown = {url: html for url, (status, html) in screens.items() if status == 200 and html}
    errors = {url: status for url, (status, _) in screens.items() if status >= 500}
    data = data_values()
    problems = {}  # offending string -> (first screen, where, words)
    for url, html in shown.items():
        for where, text, words in english.english_on_page(html, data):
            problems.setdefault(text, (url, where, ", ".join(words)))
        for where, text in english.visible_strings(html):
            if where == "text" and ISO_DATE.search(text):
                problems.setdefault(text.strip()[:80], (url, "日期格式", "ISO"))
    print(f"{role}: {len(shown)} screens")
    dump = os.environ.get("ADMIN_CRAWL_DUMP")  # a folder: keep every screen's HTML to look at
    if dump:
        folder = pathlib.Path(dump) / role
        folder.mkdir(parents=True, exist_ok=True)
        for n, (url, html) in enumerate(shown.items()):
            (folder / f"{n:03d}.html").write_text(f"<!-- {url} -->\n{html}", encoding="utf-8")
    assert not errors, errors
    assert len(shown) >= MIN_SCREENS[role], sorted(shown)
    report = [
        f"{url} [{where}] {text!r}: {words}" for text, (url, where, words) in problems.items()
    ]
    assert not problems, f"{len(problems)} English strings:\n" + "\n".join(sorted(report))


# --- the pieces the crawl relies on, each shown to work on its own -----------------


def test_english_finder_flags_ui_words_and_spares_data():
    html = """<html><head><title>页面 - Wagtail</title><script>var x = "Save";</script>
    <style>.a{color:red}</style></head><body>
    <button title="Sort by title">排序</button><input type="submit" value="Save">
    <p>联系 admin@example.org，文件 report-2026.xlsx，编号 GX_001，网址 /admin/pages/3/</p>
    <p>Search all pages…</p><span class="w-sr-only">Actions</span>
    <script type="application/json" id="props">{"menu": [{"label": "Reports", "url": "/admin/r/"}]}</script>
    <svg><title>Close</title></svg></body></html>"""
    found = english.english_on_page(html)
    words = sorted({w for _, _, ws in found for w in ws})
    assert words == ["Actions", "Reports", "Save", "Search", "Sort", "all", "by", "pages", "title"]


def test_walker_keeps_one_screen_per_shape_and_skips_downloads():
    assert walker.shape("/admin/pages/12/edit/") == walker.shape("/admin/pages/7/edit/")
    assert walker.shape("/admin/x/?q=a&p=2") == walker.shape("/admin/x/?ordering=b")
    assert walker.shape("/admin/snippets/a/b/history/1/") == walker.shape(
        "/admin/snippets/a/c/history/2/"
    )
    assert walker.shape("/admin/snippets/a/b/edit/1/") != walker.shape(
        "/admin/snippets/a/c/edit/1/"
    )
    html = '<a href="/admin/a/">a</a><a href="/admin/a/?export=xlsx">x</a><a href="/x/">p</a>'
    assert walker.links_of(html, "/admin/") == ["/admin/a/"]


@pytest.mark.django_db
def test_wagtail_default_groups_and_workflow_have_chinese_names():
    """Migration pages.0004: no English group, workflow, task or root page title remains."""
    names = list(Group.objects.values_list("name", flat=True))
    assert "Editors" not in names and "Moderators" not in names
    assert "内容审核员" in names
    assert Workflow.objects.filter(name="内容审核员审核").exists()
    assert Task.objects.filter(name="内容审核员审核").exists()
    assert not Workflow.objects.filter(name__contains="Moderators").exists()
    assert Page.get_first_root_node().title == "根目录"


@pytest.mark.django_db
def test_permission_names_are_chinese_after_migrate():
    names = dict(
        Permission.objects.filter(
            codename__in=["add_case", "view_group", "publish_page"]
        ).values_list("codename", "name")
    )
    assert names["add_case"] == "可添加案件"
    assert names["view_group"] == "可查看组"
    assert not re.search(r"[A-Za-z]{2,}", names["publish_page"]), names["publish_page"]


def test_names_in_chinese_order():
    user = get_user_model()(first_name="晓梅", last_name="李", username="lxm")
    assert user.get_full_name() == "李晓梅"
    assert chinese_full_name(get_user_model()(first_name="Anna", last_name="Lee")) == "Anna Lee"
    assert get_user_model()(username="x").get_full_name() == ""


def test_listing_values_in_chinese_conventions():
    import datetime
    from decimal import Decimal

    assert cn_value(True) == "是" and cn_value(False) == "否"
    assert plain_number(Decimal("156.600000000000")) == "156.6"
    assert plain_number(Decimal("1200.00")) == "1200"
    assert plain_number(Decimal("1E+3")) == "1000"
    assert plain_number(0.1 + 0.2) == "0.3"
    assert cn_value(datetime.date(2026, 11, 21)) == "2026年11月21日"
    assert cn_value("东湖") == "东湖"


@pytest.mark.django_db
def test_admin_javascript_catalogue_has_the_overrides(client):
    """Wagtail's JS reads window.django.gettext from /admin/jsi18n/: our djangojs.po reaches it."""
    body = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for chinese in ["正在自动保存…", "修改已自动保存。", "插入内容块"]:
        assert chinese.encode("unicode_escape").decode() in body or chinese in body


@pytest.mark.django_db
def test_validation_error_banner_is_chinese(admin_world):
    """A form with errors shows Wagtail's banner with "Go to the first error" in Chinese."""
    client = Client()
    client.force_login(admin_world.users.superuser)
    response = client.post(reverse("wagtailsnippets_cases_casecategory:add"), {"name": ""})
    text = response.content.decode()
    assert response.status_code == 200
    assert "转到第一个错误" in text
    assert "Go to the first error" not in text
    with translation.override("zh-hans"):
        assert gettext("The page could not be saved due to validation errors.") == (
            "存在校验错误，页面未能保存。"
        )
