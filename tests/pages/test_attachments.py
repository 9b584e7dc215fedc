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


# --- download names: the uploaded name, not the storage's renamed copy ---------------------

from urllib.parse import quote  # noqa: E402

from portal.pages.attachments import content_disposition, download_name  # noqa: E402


def _download(client, document):
    response = client.get(document.url)
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content  # noqa: B018
    return response["Content-Disposition"]


def test_second_upload_of_a_chinese_name_downloads_under_the_original_name(client, make_document):
    first = make_document(title="村集体收支明细", name="村集体收支明细.csv")
    second = make_document(title="村集体收支明细", name="村集体收支明细.csv")
    assert second.filename != "村集体收支明细.csv"  # storage renamed the stored copy
    for document in (first, second):
        header = _download(client, document)
        assert header.startswith("attachment; ")
        assert f"filename*=UTF-8''{quote('村集体收支明细.csv', safe='')}" in header
        assert 'filename="' in header  # ASCII fallback for old clients


def test_edited_title_names_the_download_and_keeps_the_extension(client, make_document):
    document = make_document(title="2026年第三季度 财务公开表", name="upload_ab12.csv")
    header = _download(client, document)
    assert f"filename*=UTF-8''{quote('2026年第三季度 财务公开表.csv', safe='')}" in header


def test_pdf_stays_inline_but_carries_its_name(client, make_document):
    document = make_document(title="会议纪要.pdf", name="x1.pdf", content=b"%PDF-1.4\n%%EOF\n")
    header = _download(client, document)
    assert header.startswith("inline; ")
    assert quote("会议纪要.pdf", safe="") in header
    assert ".pdf.pdf" not in header


class _Doc:
    def __init__(self, title, filename):
        self.title, self.filename = title, filename


@pytest.mark.parametrize(
    ("title", "filename", "expected"),
    [
        ("村民名单", "file_X1.xlsx", "村民名单.xlsx"),
        ("村民名单.XLSX", "file.xlsx", "村民名单.XLSX"),
        ('../../etc/"passwd"', "a.csv", "etc passwd.csv"),
        ("a\r\nContent-Type: text/html", "a.csv", "a Content-Type: text html.csv"),
        ("", "stored.csv", "stored.csv"),
        ("...", "stored.csv", "stored.csv"),
    ],
)
def test_download_name_is_the_title_with_a_safe_extension(title, filename, expected):
    assert download_name(_Doc(title, filename)) == expected


def test_content_disposition_header_cannot_be_broken_out_of():
    header = content_disposition("attachment", '合同"; x=1.csv')
    assert header.count('"') == 2
    assert "filename*=UTF-8''" in header and "\r" not in header and "\n" not in header
    assert content_disposition("attachment", "plain.csv") == 'attachment; filename="plain.csv"'
