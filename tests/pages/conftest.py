"""Page-tree fixtures: a site whose root is the town's HomePage with its sections.

Dates in view tests are relative to the real ``timezone.localdate()`` (what the
views use); unit tests of the listing functions pass an explicit day instead.
"""

import datetime

import pytest
from django.utils import timezone

from portal.pages.models import NoticeIndexPage, NoticePage, PolicyIndexPage, PolicyPage
from tests.factories import document, site_home


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def home(db):
    return site_home(site_name="青石街道基层治理门户")


@pytest.fixture
def notice_index(home):
    return home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))


@pytest.fixture
def policy_index(home):
    return home.add_child(instance=PolicyIndexPage(title="政策文件", slug="policies"))


@pytest.fixture
def make_notice(notice_index, today):
    counter = iter(range(1, 1_000_000))

    def make(parent=None, **fields):
        n = next(counter)
        fields.setdefault("title", f"关于做好第{n}项工作的通知")
        fields.setdefault("slug", f"notice-{n}")
        fields.setdefault("issuing_unit", "青石街道办事处")
        fields.setdefault("date", today)
        return (parent or notice_index).add_child(instance=NoticePage(**fields))

    return make


@pytest.fixture
def make_policy(policy_index):
    counter = iter(range(1, 1_000_000))

    def make(parent=None, topics=(), **fields):
        n = next(counter)
        fields.setdefault("title", f"政策文件{n}")
        fields.setdefault("slug", f"policy-{n}")
        fields.setdefault("issuer", "清河县人民政府办公室")
        fields.setdefault("level", PolicyPage.Level.COUNTY)
        fields.setdefault("issue_date", datetime.date(2025, 3, 1))
        policy = PolicyPage(**fields)
        if topics:
            policy.topics.add(*topics)
        return (parent or policy_index).add_child(instance=policy)

    return make


@pytest.fixture
def make_document(settings):
    """A real Wagtail document whose file is written to the test MEDIA_ROOT."""

    def make(title="报名表", name="form.csv", content=b"a,b\n1,2\n"):
        return document(title, name, content)

    return make
