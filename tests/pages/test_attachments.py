"""A document whose file vanished from storage must not break the page or the API."""

import pytest

from portal.pages.models import NoticeAttachment, PolicyAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_with_lost_file(make_notice, make_document):
    notice = make_notice(title="带附件的通知")
    kept = make_document(title="保留的表格", name="kept.csv")
    lost = make_document(title="丢失的文件", name="lost.pdf", content=b"%PDF-1.4")
    lost.file.storage.delete(lost.file.name)
    lost.file_size = None  # as for a document created before Wagtail cached sizes
    lost.save()
    NoticeAttachment.objects.create(page=notice, document=kept, title="")
    NoticeAttachment.objects.create(page=notice, document=lost, title="申请表")
    return notice


def test_detail_page_renders_and_marks_the_missing_file(client, notice_with_lost_file):
    response = client.get(notice_with_lost_file.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "保留的表格" in body and "CSV" in body
    assert "申请表" in body and "文件暂时无法下载" in body


def test_api_lists_the_missing_file_as_unavailable(client, notice_with_lost_file):
    response = client.get("/api/v2/pages/", {"type": "pages.NoticePage", "fields": "attachments"})
    assert response.status_code == 200
    rows = {a["title"]: a for a in response.json()["items"][0]["attachments"]}
    assert rows["申请表"]["available"] is False
    assert rows["申请表"]["file_size"] is None
    assert rows["保留的表格"]["available"] is True


def test_policy_page_with_missing_attachment_renders(client, make_policy, make_document):
    policy = make_policy()
    lost = make_document(title="原文扫描件", name="scan.pdf")
    lost.file.storage.delete(lost.file.name)
    PolicyAttachment.objects.create(page=policy, document=lost)
    response = client.get(policy.url)
    assert response.status_code == 200
    assert "原文扫描件" in response.content.decode()
