"""Staff scripts: Wagtail API tokens, read within the user's region scope."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import APIToken

from .conftest import REPORTER_NAME, REPORTER_PHONE

pytestmark = pytest.mark.django_db


def call(client, url, token=None, keyword="Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{keyword} {token}"} if token else {}
    response = client.get(url, **headers)
    return response, json.loads(response.content)


def test_me_shows_user_and_scope(client, staff, tree, token_for):
    response, data = call(client, "/api/staff/me/", token_for(staff.town))
    assert response.status_code == 200
    assert data["username"] == "town"
    assert data["all_regions"] is False
    assert {r["name"] for r in data["regions"]} == {"青石街道", "东湖社区", "西岭村"}


def test_token_keyword_may_be_token_or_bearer(client, staff, token_for):
    token = token_for(staff.donghu)
    assert call(client, "/api/staff/me/", token, "Token")[0].status_code == 200
    assert call(client, "/api/staff/me/", token, "bearer")[0].status_code == 200


def test_cases_honour_the_region_scope(client, staff, cases, token_for):
    expected = {
        staff.donghu: {cases.public_open, cases.public_dispute, cases.private},
        staff.town: {
            cases.public_open,
            cases.public_dispute,
            cases.private,
            cases.public_closed,
        },
        staff.nowhere: set(),
        staff.root: {
            cases.public_open,
            cases.public_dispute,
            cases.private,
            cases.public_closed,
            cases.other_town,
        },
    }
    for user, wanted in expected.items():
        response, data = call(client, "/api/staff/cases/", token_for(user))
        assert response.status_code == 200, user
        assert {r["number"] for r in data["results"]} == {c.number for c in wanted}, user


def test_case_detail_outside_scope_is_404(client, staff, cases, token_for):
    token = token_for(staff.donghu)
    response, data = call(client, f"/api/staff/cases/{cases.public_closed.number}/", token)
    assert response.status_code == 404
    assert "辖区" in data["detail"]
    response, data = call(client, f"/api/staff/cases/{cases.private.number}/", token)
    assert response.status_code == 200
    assert data["description"]  # staff read the full report text within their scope
    assert data["status_label"] == "受理"


def test_staff_case_output_leaves_out_reporter_identity(client, staff, cases, token_for):
    response, data = call(client, "/api/staff/cases/", token_for(staff.root))
    for row in data["results"]:
        assert not {"reporter_name", "reporter_phone"} & set(row)
        assert REPORTER_NAME not in {row["title"], row["public_summary"]}
    assert REPORTER_PHONE not in response.content.decode()


def test_case_filters(client, staff, cases, token_for):
    token = token_for(staff.town)
    _r, data = call(client, "/api/staff/cases/?status=处置", token)
    assert [r["number"] for r in data["results"]] == [cases.public_open.number]
    _r, data = call(client, "/api/staff/cases/?category=dispute", token)
    assert [r["number"] for r in data["results"]] == [cases.public_dispute.number]
    _r, data = call(client, f"/api/staff/cases/?village={cases.public_closed.village_id}", token)
    assert [r["number"] for r in data["results"]] == [cases.public_closed.number]
    # all open cases of the fixture are long past their deadline
    _r, data = call(client, "/api/staff/cases/?overdue=true", token)
    assert {r["number"] for r in data["results"]} == {
        cases.public_open.number,
        cases.private.number,
    }
    assert all(r["overdue"] for r in data["results"])
    response, data = call(client, "/api/staff/cases/?status=flying", token)
    assert response.status_code == 400 and "flying" in data["status"][0]


def test_anonymous_and_bad_tokens_are_refused(client, staff, cases, token_for):
    response, data = call(client, "/api/staff/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    for bad in ("wagtail_notavalidtoken", "nonsense", token_for(staff.donghu)[:-1] + "x"):
        response, data = call(client, "/api/staff/cases/", bad)
        assert response.status_code == 401
        assert "令牌" in data["detail"]


def test_revoked_token_and_deactivated_user_stop_working(client, staff, token_for):
    token = token_for(staff.donghu)
    assert call(client, "/api/staff/me/", token)[0].status_code == 200
    APIToken.objects.get(user=staff.donghu).revoke()
    assert call(client, "/api/staff/me/", token)[0].status_code == 401
    token = token_for(staff.town)
    staff.town.is_active = False
    staff.town.save()
    assert call(client, "/api/staff/me/", token)[0].status_code == 401


def test_user_without_case_permission_reads_no_cases(client, staff, token_for):
    perm = Permission.objects.get(codename="view_case", content_type__app_label="cases")
    staff.donghu.groups.first().permissions.remove(perm)
    token = token_for(staff.donghu)
    assert call(client, "/api/staff/me/", token)[0].status_code == 200
    response, data = call(client, "/api/staff/cases/", token)
    assert response.status_code == 403
    assert data["detail"] == "你的账号没有查看案件的权限。"


def test_token_last_used_is_recorded(client, staff, token_for):
    token = token_for(staff.donghu)
    call(client, "/api/staff/me/", token)
    assert APIToken.objects.get(user=staff.donghu).last_used_at is not None


def test_admin_creates_token_shown_once_and_revokes_it(client, staff):
    """Through Wagtail's own token pages (registered by portal.api.wagtail_hooks)."""
    client.force_login(staff.root)
    response = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "夜间同步脚本", "user": staff.root.pk}
    )
    assert response.status_code == 200
    plaintext = re.search(r"wagtail_[0-9A-Za-z]+", response.content.decode()).group(0)
    token = APIToken.objects.get(name="夜间同步脚本")
    # only a digest is stored
    assert plaintext not in {token.key_hash, token.prefix, token.name}
    assert token.key_hash == APIToken.hash_token(plaintext)
    client.logout()
    assert call(client, "/api/staff/me/", plaintext)[1]["username"] == "root"

    client.force_login(staff.root)
    listing = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    assert plaintext not in listing
    response = client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    assert call(client, "/api/staff/me/", plaintext)[0].status_code == 401


def test_case_search_json_honours_token_scope(client, staff, cases, token_for):
    """The search app's /api/cases/search/ authenticates tokens through the portal's
    DRF default, so a script sees its user's scope and anonymous callers public cases."""
    from search.indexing import cases_changed

    cases_changed([c.pk for c in vars(cases).values()])

    def numbers(token=None):
        response, data = call(client, "/api/cases/search/?q=漏水&page_size=50", token)
        assert response.status_code == 200, data
        return {r["number"] for r in data["results"]}

    assert cases.private.number not in numbers()
    in_scope = numbers(token_for(staff.donghu))
    assert cases.private.number in in_scope
    assert cases.other_town.number not in in_scope
    assert cases.other_town.number in numbers(token_for(staff.root))
