"""Every change a public page shows is visible on the next anonymous request."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend

from portal import pagecache
from portal.cases.models import Case, CaseCategory
from portal.pages.models import DisclosureCatalogItem, NoticePage
from portal.snippets.models import GridStaff
from tests.registers.conftest import make_grid

from .conftest import cache_state

pytestmark = pytest.mark.django_db


def anonymous_body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client, url):
    client.get(url)
    response = client.get(url)
    assert cache_state(response) == "hit", url
    return response.content.decode()


def test_publish_of_a_draft_shows_on_home_and_list(client, notice_index, make_notice):
    make_notice(title="早先的通知")
    warm(client, "/notices/")
    warm(client, "/")
    draft = notice_index.add_child(
        instance=NoticePage(title="新发布的通知", slug="fresh", issuing_unit="街道办", live=False)
    )
    assert "新发布的通知" not in warm(client, "/notices/")  # a draft changes nothing public
    draft.save_revision().publish()
    assert "新发布的通知" in anonymous_body(client, "/notices/")
    assert "新发布的通知" in anonymous_body(client, "/")


def test_edit_published_through_a_revision(client, make_notice):
    notice = make_notice(title="旧标题通知")
    warm(client, notice.url)
    notice.title = "新标题通知"
    notice.save_revision().publish()
    assert "新标题通知" in anonymous_body(client, notice.url)


def test_unpublish(client, make_notice):
    notice = make_notice(title="即将撤下的通知")
    assert "即将撤下的通知" in warm(client, "/notices/")
    notice.unpublish()
    assert "即将撤下的通知" not in anonymous_body(client, "/notices/")
    assert client.get(notice.url_path.removeprefix("/qingshi")).status_code == 404


def test_delete(client, make_notice):
    notice = make_notice(title="将被删除的通知")
    url = notice.url
    assert "将被删除的通知" in warm(client, "/notices/")
    warm(client, url)
    notice.delete()
    assert "将被删除的通知" not in anonymous_body(client, "/notices/")
    assert client.get(url).status_code == 404


def test_move(client, site_home, notice_index, make_notice):
    other = site_home.add_child(instance=type(notice_index)(title="街道通知", slug="town-notices"))
    notice = make_notice(title="搬家的通知")
    assert "搬家的通知" in warm(client, "/notices/")
    notice.move(other, pos="last-child")
    assert "搬家的通知" not in anonymous_body(client, "/notices/")
    assert "搬家的通知" in anonymous_body(client, "/town-notices/")


def test_view_restriction_makes_a_page_private(client, make_notice):
    from wagtail.models import PageViewRestriction

    notice = make_notice(title="内部通知")
    assert "内部通知" in warm(client, "/notices/")
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    assert "内部通知" not in anonymous_body(client, "/notices/")


def test_workflow_approval_publishes_to_the_cache(client, tree, editor, donghu_committee):
    """A disclosure submitted and approved in the admin is on the next anonymous request."""
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import WorkflowState

    from portal.pages.models import DisclosurePage
    from tests.disclosures.conftest import add_url, form_data

    index_url = tree["东湖社区"].url
    assert "第3季度村民会议" not in warm(client, index_url)
    staff = Client()
    staff.force_login(editor)
    staff.post(add_url(tree["东湖社区"]), {**form_data(), "action-submit": "1"})
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert "第3季度村民会议" not in warm(client, index_url)  # submitted, not yet public
    state = WorkflowState.objects.for_instance(page).get()
    staff.force_login(donghu_committee)
    response = staff.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", state.current_task_state.pk),
        ),
        {"comment": "同意公开"},
    )
    assert response.status_code == 302
    assert "第3季度村民会议" in anonymous_body(client, index_url)
    assert "第3季度村民会议" in anonymous_body(client, "/")


def test_region_rename_shows_on_the_home_page(client, site_home, make_disclosure, donghu):
    make_disclosure(title="东湖的公开")
    assert "东湖社区" in warm(client, "/")
    donghu.name = "东湖新社区"
    donghu.save()
    assert "东湖新社区" in anonymous_body(client, "/")


def test_grid_and_grid_staff_edits_show_on_the_grid_finder(client, site_home, donghu):
    grid = make_grid(donghu, donghu.code + "001", "东湖第一网格")
    url = f"/grids/{grid.code}/"
    assert "东湖第一网格" in warm(client, url)
    grid.name = "东湖一号网格"
    grid.save()
    assert "东湖一号网格" in anonymous_body(client, url)
    warm(client, url)
    staff = GridStaff.objects.create(
        role=GridStaff.Role.LEADER, name="王网格长", work_phone="0394-1234567"
    )
    assert "王网格长" not in warm(client, url)
    staff.grids.add(grid)  # the board changes through the many-to-many link
    assert "王网格长" in anonymous_body(client, url)
    warm(client, url)
    staff.name = "王建国"
    staff.save()
    assert "王建国" in anonymous_body(client, url)


def test_catalog_edit_shows_on_compliance(client, site_home, tree, catalog):
    body = warm(client, "/disclosures/compliance/")
    assert "集体资产" in body
    item = catalog["assets"]
    item.name = "集体资产和债务"
    item.save()
    assert "集体资产和债务" in anonymous_body(client, "/disclosures/compliance/")
    DisclosureCatalogItem.objects.filter(pk=item.pk).delete()  # queryset delete sends signals
    assert "集体资产和债务" not in anonymous_body(client, "/disclosures/compliance/")


def _public_case(donghu, **fields):
    grid = make_grid(donghu, donghu.code + "009", "东湖第九网格")
    category = CaseCategory.objects.create(code="env", name="环境卫生", deadline_days=5)
    now = timezone.now()
    return Case.objects.create(
        number="QS-2026-000001",
        title="楼道堆物",
        description="反映人张三说楼道堆物",
        category=category,
        source=Case.Source.HOTLINE,
        grid=grid,
        village=donghu,
        reported_at=now,
        deadline=now + datetime.timedelta(days=5),
        is_public=True,
        public_summary="某小区楼道堆放杂物",
        **fields,
    )


def test_public_case_field_edit_shows_in_open311(client, site_home, donghu):
    case = _public_case(donghu)
    url = "/open311/v2/requests.json"
    assert "某小区楼道堆放杂物" in warm(client, url)
    case.public_summary = "某小区楼道杂物已清理"
    case.save()
    assert "某小区楼道杂物已清理" in anonymous_body(client, url)
    warm(client, url)
    case.is_public = False  # leaving the public side invalidates too
    case.save()
    assert "某小区楼道杂物已清理" not in anonymous_body(client, url)


def test_category_edit_shows_in_open311_services(client, site_home, donghu):
    _public_case(donghu)
    assert "环境卫生" in warm(client, "/open311/v2/services.json")
    category = CaseCategory.objects.get(code="env")
    category.name = "环境卫生整治"
    category.save()
    assert "环境卫生整治" in anonymous_body(client, "/open311/v2/services.json")


def test_bulk_writers_call_invalidate(client, make_notice):
    notice = make_notice(title="批量前的标题")
    assert "批量前的标题" in warm(client, "/notices/")
    NoticePage.objects.filter(pk=notice.pk).update(title="批量后的标题")  # no signal
    assert "批量前的标题" in warm(client, "/notices/")  # stale until told
    pagecache.invalidate("bulk update in a test")
    assert "批量后的标题" in anonymous_body(client, "/notices/")


def test_date_rollover_moves_an_expired_pin_without_a_publish(client, make_notice):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    make_notice(
        title="置顶到今天的通知",
        date=today - datetime.timedelta(days=5),
        pinned=True,
        pinned_until=today,
    )
    make_notice(title="今天的普通通知", date=today)
    body = warm(client, "/notices/")
    assert body.index("置顶到今天的通知") < body.index("今天的普通通知")
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        response = client.get("/notices/")
        assert cache_state(response) == "miss"
        body = response.content.decode()
        assert body.index("今天的普通通知") < body.index("置顶到今天的通知")
        assert cache_state(client.get("/notices/")) == "hit"


def test_invalidate_in_a_transaction_bumps_again_on_commit(
    client, make_notice, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from portal.pagecache.keys import current_generation

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            pagecache.invalidate("test")
            inside = current_generation()
    assert len(callbacks) == 1
    assert current_generation() != inside


class RecorderBackend(BaseBackend):
    """A frontend-cache backend that records what it was asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


def test_frontend_proxy_is_purged_for_the_page_and_its_listings(
    client, settings, notice_index, make_notice
):
    """With a proxy configured, a publish purges the page, its list and the home page."""
    purged = RecorderBackend.purged
    purged.clear()
    settings.WAGTAILFRONTENDCACHE = {"proxy": {"BACKEND": f"{__name__}.RecorderBackend"}}
    draft = notice_index.add_child(
        instance=NoticePage(
            title="要清前置缓存", slug="purge-me", issuing_unit="街道办", live=False
        )
    )
    draft.save_revision().publish()
    assert "http://localhost/notices/" in purged
    assert "http://localhost/" in purged
    purged.clear()
    draft.delete()
    assert "http://localhost/notices/purge-me/" in purged and "http://localhost/notices/" in purged
