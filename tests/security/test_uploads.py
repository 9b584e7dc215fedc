"""Uploads are checked by their content, not their name."""

import io
import zipfile

import openpyxl
import pytest
import xlwt
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.security.filetypes import check_bytes

pytestmark = pytest.mark.django_db

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"


def ooxml(main_type, part="word/document.xml", extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr(part, "<document/>")
        for name in extra:
            archive.writestr(name, b"binary")
    return buffer.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "金额"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes():
    workbook = xlwt.Workbook()
    workbook.add_sheet("表1").write(0, 0, "收支")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_with(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"content")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def param_id(value):
    """Test ids without the file bytes: archives carry the time they were built, and every
    pytest-xdist worker must collect the same ids."""
    return "bytes" if isinstance(value, bytes) else None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", PDF),
        ("名单.xlsx", xlsx_bytes()),
        ("收支.xls", xls_bytes()),
        ("决议.docx", ooxml(WORD_MAIN)),
        ("说明.txt", "村务公开说明\n第二行".encode()),
        ("明细.csv", "项目,金额\n修路,1200\n".encode("gb18030")),
        ("明细2.csv", "\ufeff项目,金额\n修路,1200\n".encode()),
        ("附件.zip", zip_with("a.pdf", "b.xlsx")),
    ],
    ids=param_id,
)
def test_genuine_documents_pass(name, data):
    assert check_bytes(name, data) is None


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("通知.pdf", EXE, "可执行程序"),
        ("通知.pdf", HTML, "不是PDF 文档"),
        ("通知.pdf", SVG, "不是PDF 文档"),
        ("名单.xlsx", ooxml(WORD_MAIN), "不是Excel 表格"),
        ("名单.xlsx", zip_with("a.txt"), "不是Excel 表格"),
        ("决议.docx", ooxml(WORD_MACRO), "宏"),
        ("决议.docx", ooxml(WORD_MAIN, extra=["word/vbaProject.bin"]), "宏"),
        ("收支.xls", xlsx_bytes(), "不是Excel 97-2003 表格"),
        ("决议.doc", PDF, "不是Word 97-2003 文档"),
        ("说明.txt", HTML, "网页或脚本"),
        ("说明.txt", b"\x00\x01\x02binary", "不是纯文本文件"),
        ("说明.txt", b"#!/bin/sh\nrm -rf /\n", "脚本程序"),
        ("附件.zip", zip_with("setup.exe"), "setup.exe"),
        ("附件.zip", PDF, "不是ZIP 压缩包"),
        ("空.pdf", b"", "空文件"),
    ],
    ids=param_id,
)
def test_disguised_files_are_refused_with_a_chinese_reason(name, data, fragment):
    problem = check_bytes(name, data)
    assert problem is not None and fragment in problem
    assert name in problem


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(username="root", password="pw")
    client.force_login(user)
    return client


def upload_document(admin_client, name, data):
    return admin_client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_wagtail_document_form_refuses_a_renamed_executable(admin_client):
    Document = get_document_model()
    response = upload_document(admin_client, "年度报告.pdf", EXE)
    assert response.status_code == 200
    assert "实际是Windows 可执行程序" in response.content.decode()
    assert not Document.objects.exists()
    response = upload_document(admin_client, "年度报告.pdf", PDF)
    assert response.status_code == 302
    assert Document.objects.get().title == "年度报告.pdf"


def test_multiple_upload_refuses_html_disguised_as_text(admin_client):
    Document = get_document_model()
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("公告.txt", HTML)},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "网页或脚本" in response.json()["error_message"]
    assert not Document.objects.exists()


def test_wagtail_image_upload_refuses_a_renamed_non_image(admin_client):
    Image = get_image_model()
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "照片",
            "file": SimpleUploadedFile("照片.png", b"this is not a png at all" * 10),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert not Image.objects.exists()
    assert "error" in response.content.decode().lower()
