"""End-to-end fixtures: Playwright driving Debian's Chromium against a live server.

Never downloads a browser: it launches /usr/bin/chromium (or $CHROMIUM_PATH) and
skips with a clear message when none is installed. A failing test leaves a
full-page screenshot of every page it opened in tests/e2e/screenshots/.

The demo site (``load_demo_data``) takes tens of seconds to build, so it is built
ONCE for this package by ``demo_site`` instead of once per test: the e2e tests do not
use pytest-django's ``live_server`` (which would flush the database after every
test) but a server of their own over the same test database. The scenarios are
written so they do not depend on each other (each works on its own village or
its own new records). After the last e2e test the database is flushed and put
back exactly as it was before the demo was loaded (and the settings overridden
for the server restored), so the tests that run later and a reused test database
(``--reuse-db``) see nothing of it.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.demo_site import demo_database

from .helpers import MOBILE

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "E2e-口令-2026"
TIMEOUT_MS = 30_000  # generous: the machine running the suite may be busy

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# the tests themselves (fixtures, expected values) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium():
    """The browser binary, or a clear skip (before anything slow is built)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"未找到 Chromium（{CHROMIUM}），跳过浏览器端到端测试；"
            "安装方法：apt-get install -y chromium"
        )
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# --- the demo site, built once --------------------------------------------------------------


@dataclass
class Account:
    username: str
    password: str
    family_name: str
    given_name: str

    @property
    def display_name(self):
        """The name the public pages print (portal.pages.disclosures.approval.display_name)."""
        return f"{self.family_name}{self.given_name}"


@dataclass
class DemoSite:
    url: str
    accounts: dict = field(default_factory=dict)


def _make_accounts():
    """Staff with known passwords; the demo's own staff have unusable passwords."""
    from django.contrib.auth.models import Group, User

    from demo import regions as demo_regions
    from portal.groups import EDITOR, SUPERVISION_COMMITTEE, TOWN_ADMIN
    from portal.pages.permissions import committee_group_for
    from portal.snippets.models import StaffRegion

    town = demo_regions.demo_town()
    villages = {v.name: v for v in demo_regions.demo_villages()}
    nanping = villages["南坪村"]

    def make(username, family, given, groups, region):
        user = User.objects.create_user(
            username, password=PASSWORD, last_name=family, first_name=given
        )
        user.groups.add(*groups)
        StaffRegion.objects.create(user=user, region=region)
        return Account(username, PASSWORD, family, given)

    return {
        # 宣传编辑: page permissions under the home page come from the demo loader
        "editor": make("e2e_editor", "林", "小雨", [Group.objects.get(name=EDITOR)], town),
        # a member of 南坪村's supervision committee (role group + the village's group)
        "committee": make(
            "e2e_committee",
            "孙",
            "建华",
            [Group.objects.get(name=SUPERVISION_COMMITTEE), committee_group_for(nanping)],
            nanping,
        ),
        "town_admin": make(
            "e2e_town_admin", "钱", "志刚", [Group.objects.get(name=TOWN_ADMIN)], town
        ),
    }


def _suite_creates_database(items):
    """Whether pytest-django sets up the test database in this run.

    It does so only when a collected test asks for the database (a django_db
    marker or the db/transactional_db/live_server fixtures: the same rule as
    pytest-django's own). The e2e tests deliberately do neither (see the module
    docstring), so when they run alone they set the test database up themselves.
    """
    wanted = {"db", "transactional_db", "live_server"}
    return any(
        item.get_closest_marker("django_db") or wanted & set(item.fixturenames) for item in items
    )


@pytest.fixture(scope="session")
def e2e_database(request, django_db_setup, django_db_blocker):
    if _suite_creates_database(request.session.items):
        yield
        return
    from django.test.utils import setup_databases, teardown_databases

    keepdb = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=keepdb)
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(scope="package")
def demo_site(chromium, e2e_database, django_db_blocker, tmp_path_factory):
    from django.db import connection
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    files = tmp_path_factory.mktemp("e2e-files")
    overrides = override_settings(
        MEDIA_ROOT=files / "media", IMPORT_PRIVATE_ROOT=files / "private-imports"
    )
    overrides.enable()
    conn_max_age = connection.settings_dict.get("CONN_MAX_AGE", 0)
    try:
        with demo_database(django_db_blocker):
            with django_db_blocker.unblock():
                accounts = _make_accounts()
            # The server's threads read the same settings dict: with persistent
            # connections a thread kept alive by the browser would hold a database
            # session open and block dropping the test database at the end (PostgreSQL).
            connection.settings_dict["CONN_MAX_AGE"] = 0
            server = LiveServer("127.0.0.1")
            try:
                yield DemoSite(url=server.url, accounts=accounts)
            finally:
                # Not server.stop(): that also withdraws the in-memory SQLite connection
                # from the server's threads, and a thread still serving a browser's
                # keep-alive connection would then fail when it closes its connections
                # on the way out.
                server.thread.terminate()
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = conn_max_age
        overrides.disable()


@pytest.fixture
def site(demo_site, django_db_blocker):
    """The demo site, with database access for the test's own look-ups."""
    from django.db import connections

    with django_db_blocker.unblock():
        yield demo_site
        # While Playwright's event loop runs in this thread, Django keys the test's
        # connection by context rather than by thread: close it, or its session
        # would outlive the test (and block dropping a PostgreSQL test database).
        connections.close_all()


@pytest.fixture(autouse=True)
def _media_root():
    """Overrides the suite-wide per-test MEDIA_ROOT: the demo's files live for the session."""


# --- browser pages ----------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def open_page(browser, request):
    """``open_page(viewport=MOBILE)``: a fresh browser context (own cookies) and its page.

    Each call is a different person at a different device; every page opened
    is photographed if the test fails.
    """
    contexts = []

    def open_(viewport=MOBILE, base_url=None):
        if base_url is None and "site" in request.fixturenames:
            base_url = request.getfixturevalue("site").url
        context = browser.new_context(locale="zh-CN", viewport=viewport, base_url=base_url)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS * 2)
        contexts.append(context)
        return context.new_page()

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts, start=1):
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            for page in context.pages:
                target = SCREENSHOTS / f"{request.node.name}-{number}.png"
                try:
                    page.screenshot(path=str(target), full_page=True)
                    print(f"截图已保存：{target}")
                except Exception as exc:  # a crashed page must not hide the real failure
                    print(f"截图失败（{target}）：{exc}")
        context.close()


@pytest.fixture
def page(open_page):
    """One phone-sized page (the resident's view)."""
    return open_page(MOBILE)
