"""Which page types may be created where (Wagtail's parent/subpage rules)."""

import pytest
from wagtail.models import Page

from portal.pages.models import (
    DisclosureIndexPage,
    DisclosurePage,
    HomePage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)

pytestmark = pytest.mark.django_db


def test_home_page_allows_exactly_the_three_sections(home):
    assert set(HomePage.allowed_subpage_models()) == {
        NoticeIndexPage,
        DisclosureIndexPage,
        PolicyIndexPage,
    }


def test_only_one_home_page_can_exist(home):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)


def test_home_page_can_be_created_at_root_when_none_exists():
    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root)


@pytest.mark.parametrize(
    ("child", "parent_fixture", "allowed"),
    [
        (NoticeIndexPage, "home", True),
        (PolicyIndexPage, "home", True),
        (NoticePage, "notice_index", True),
        (NoticePage, "home", False),
        (NoticePage, "policy_index", False),
        (PolicyPage, "policy_index", True),
        (PolicyPage, "notice_index", False),
        (PolicyPage, "home", False),
        (NoticeIndexPage, "notice_index", False),
        (DisclosurePage, "notice_index", False),
    ],
)
def test_can_create_at(request, child, parent_fixture, allowed):
    parent = request.getfixturevalue(parent_fixture)
    assert child.can_create_at(parent) is allowed


def test_notices_and_policies_are_leaves(make_notice, make_policy):
    assert NoticePage.allowed_subpage_models() == []
    assert PolicyPage.allowed_subpage_models() == []
    assert not NoticePage.can_create_at(make_notice())
    assert not PolicyPage.can_create_at(make_policy())
