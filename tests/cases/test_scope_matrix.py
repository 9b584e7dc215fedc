"""Who sees what: every user × case × admin view, direct URLs included.

A view either serves the case (user in scope with the permission) or refuses:
404 outside the user's regions, "permission denied" inside them without the
permission — which Wagtail's admin answers with a redirect to the dashboard and
an error message (403 for non-admin views) — and then the response carries none
of the case's data.
"""

import pytest

from .helpers import walk

# Which cases (by village) each user's regions cover.
SCOPE = {
    "root": {"donghu", "xiling", "baisha"},
    "county": {"donghu", "xiling", "baisha"},
    "town": {"donghu", "xiling"},
    "donghu": {"donghu"},
    "xiling": {"xiling"},
    "baisha": {"baisha"},
    "unassigned": set(),
    "editor": {"donghu", "xiling"},
}
# Model permissions by group (portal.groups): view/change/delete/transition.
CAN = {
    "root": {"view", "change", "delete", "act"},
    "county": {"view", "change", "delete", "act"},
    "town": {"view", "change", "delete", "act"},
    "donghu": {"view", "change", "act"},
    "xiling": {"view", "act"},
    "baisha": {"view", "change", "delete", "act"},
    "unassigned": {"view", "change", "act"},
    "editor": set(),
}
VIEWS = {
    "inspect": ("/admin/cases/case/inspect/{pk}/", "view"),
    "history": ("/admin/cases/case/history/{pk}/", "view"),
    "edit": ("/admin/cases/case/edit/{pk}/", "change"),
    "delete": ("/admin/cases/case/delete/{pk}/", "delete"),
    "action": ("/admin/cases/case/action/{pk}/dispatch/", "act"),
}


@pytest.fixture
def cases(make_case, users, tree):
    made = {
        "donghu": make_case(
            title="东湖楼道漏水", reporter_name="周淑芬", reporter_phone="13700000001"
        ),
        "xiling": make_case(
            title="西岭村道积水",
            grid=tree.grids.xiling,
            user=users.town,
            reporter_name="吴德胜",
            reporter_phone="13700000002",
        ),
        "baisha": make_case(
            title="白沙违章搭建",
            grid=tree.grids.baisha,
            user=users.baisha,
            reporter_name="郑秋菊",
            reporter_phone="13700000003",
        ),
    }
    return made


def assert_denied(response):
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def _secrets(case):
    return [case.number, case.title, case.reporter_name, case.reporter_phone]


@pytest.mark.parametrize("username", list(SCOPE))
@pytest.mark.parametrize("case_key", ["donghu", "xiling", "baisha"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_direct_urls(client, users, cases, username, case_key, view):
    case = cases[case_key]
    client.force_login(getattr(users, username))
    template, needs = VIEWS[view]
    response = client.get(template.format(pk=case.pk))
    in_scope = case_key in SCOPE[username]
    if not in_scope:
        assert response.status_code == 404
    elif needs not in CAN[username]:
        assert_denied(response)
    else:
        assert response.status_code == 200
        return
    body = response.content.decode()
    for secret in _secrets(case):
        assert secret not in body


@pytest.mark.parametrize("username", list(SCOPE))
def test_list_shows_only_cases_in_scope(client, users, cases, username):
    client.force_login(getattr(users, username))
    response = client.get("/admin/cases/case/")
    if not CAN[username]:
        assert_denied(response)
        return
    assert response.status_code == 200
    body = response.content.decode()
    for key, case in cases.items():
        if key in SCOPE[username]:
            assert case.number in body
        else:
            for secret in _secrets(case):
                assert secret not in body


@pytest.mark.parametrize("username", ["town", "donghu", "xiling", "unassigned"])
def test_posts_to_out_of_scope_cases_change_nothing(client, users, cases, username):
    client.force_login(getattr(users, username))
    case = cases["baisha"]
    posts = {
        f"/admin/cases/case/action/{case.pk}/dispatch/": {"dispatch-handler_unit": "越权"},
        f"/admin/cases/case/edit/{case.pk}/": {"title": "被改了"},
        f"/admin/cases/case/delete/{case.pk}/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.title) == ("accepted", "白沙违章搭建")


def test_action_post_without_transition_permission_is_403(client, users, cases):
    client.force_login(users.editor)
    case = cases["donghu"]
    response = client.post(
        f"/admin/cases/case/action/{case.pk}/dispatch/", {"dispatch-handler_unit": "x"}
    )
    assert_denied(response)
    case.refresh_from_db()
    assert case.status == "accepted"


def test_escalated_case_stays_visible_but_not_actionable_below_its_tier(client, users, cases):
    case = cases["donghu"]
    walk(case, users.donghu, "escalate", "escalate")  # 网格 → 村/社区 → 乡镇/街道
    client.force_login(users.donghu)
    assert client.get(f"/admin/cases/case/inspect/{case.pk}/").status_code == 200
    assert_denied(client.get(f"/admin/cases/case/action/{case.pk}/dispatch/"))
    client.force_login(users.town)
    assert client.get(f"/admin/cases/case/action/{case.pk}/dispatch/").status_code == 200


def test_anonymous_is_sent_to_login(client, cases):
    response = client.get(f"/admin/cases/case/inspect/{cases['donghu'].pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
