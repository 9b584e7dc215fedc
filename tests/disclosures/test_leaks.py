"""No leak through a disclosure or notice: ID, mobile and bank card numbers block submission.

Real files written by the tests (.xlsx with two sheets, a hand-made PDF, a
.docx, a CSV), submitted through the real admin form; each refusal must name
the place and offer the masked form.
"""

import io
import zipfile

import openpyxl
import pytest
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import inline_formset

from portal.pages.disclosures import leaks
from portal.pages.disclosures.hooks import LEAK_CONFIRMED_ACTION
from portal.pages.models import DisclosurePage, NoticeIndexPage, NoticePage
from portal.snippets.models import GridStaff
from portal.snippets.pii import id_check_code
from tests.factories import notice_form_data

from .conftest import add_url, form_data

pytestmark = pytest.mark.django_db

ID_NUMBER = "41150219900307123" + id_check_code("41150219900307123")
ID_MASKED = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]


def _luhn_complete(first):
    """Append the Luhn check digit (how card numbers are made)."""
    for digit in "0123456789":
        if leaks._luhn_ok(first + digit):
            return first + digit
    raise AssertionError


CARD = _luhn_complete("622202020011223344")  # 19 digits


# --- the rules on plain text -----------------------------------------------------------------


def kinds(text, **kwargs):
    return [(kind, masked) for kind, _, masked in leaks.numbers_in_text(text, **kwargs)]


def test_valid_id_number_is_found_and_masked():
    assert kinds(f"低保户王某，身份证号{ID_NUMBER}，") == [("id_number", ID_MASKED)]


def test_id_number_with_a_wrong_check_digit_is_not_an_id_number():
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    assert ("id_number", wrong[:4] + "*" * 10 + wrong[-4:]) not in kinds(wrong)


def test_old_15_digit_id_is_found_but_a_grid_code_is_not():
    assert kinds("旧身份证411502900307123") == [("id_number", "4115*******7123")]
    assert kinds("网格编码411502001002003", public_codes={"411502001002003"}) == []


def test_mobile_with_separators_and_country_code():
    assert kinds("联系人电话：138-1234-5678") == [("mobile", "138****5678")]
    assert kinds("电话 +86 139 1234 5678。") == [("mobile", "139****5678")]
    assert kinds("座机0371-12345678，金额12,345,678.00元") == []


def test_bank_card_needs_the_luhn_check():
    assert leaks._luhn_ok(CARD)
    masked = CARD[:4] + "*" * 11 + CARD[-4:]
    assert kinds(f"补贴发放至 {CARD}") == [("bank_card", masked)]
    spaced = " ".join(CARD[i : i + 4] for i in range(0, 19, 4))
    assert kinds(spaced) == [("bank_card", masked)]
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert kinds(wrong) == []


def test_masked_values_pass():
    assert kinds(f"身份证号{ID_MASKED}，电话138****5678，卡号6222***********3445") == []


def test_full_width_digits_are_caught():
    assert kinds("电话１３８１２３４５６７８") == [("mobile", "138****5678")]


# --- real files ---------------------------------------------------------------------------


def xlsx_with_id_in_sheet2_c7():
    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.active["A1"] = "项目"
    sheet = book.create_sheet("低保名单")
    sheet["A1"], sheet["B1"], sheet["C1"] = "序号", "姓名", "身份证号"
    sheet["C7"] = ID_NUMBER
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_with_text(text):
    """A one-page PDF written by hand (Helvetica, so ASCII text), with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_with_paragraphs(*paragraphs):
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def submit(client, editor, tree, **fields):
    client.force_login(editor)
    response = client.post(add_url(tree["东湖社区"]), {**form_data(**fields), "action-submit": "1"})
    return response


def errors_of(response):
    assert response.status_code == 200, "the form must come back with errors"
    return " ".join(response.context["form"].non_field_errors())


def attachments(*documents):
    return inline_formset([{"document": str(d.pk), "title": ""} for d in documents])


def test_id_number_in_a_finance_line_is_refused_with_the_row_named(client, editor, tree):
    lines = [("income", "上级补助", "1000"), ("expense", f"慰问金 王某 {ID_NUMBER}", "500")]
    response = submit(client, editor, tree, kind="finance", opening_balance="0", lines=lines)
    message = errors_of(response)
    assert f"收支明细第2行「项目」含有身份证号，请删除或改为打码形式「{ID_MASKED}」" in message
    assert ID_NUMBER not in message  # the message offers the masked form only
    assert not DisclosurePage.objects.exists()


def test_id_number_in_an_xlsx_cell_is_refused_with_sheet_and_cell(
    client, editor, tree, make_document
):
    doc = make_document("低保名单", "dibao.xlsx", xlsx_with_id_in_sheet2_c7())
    response = submit(client, editor, tree, attachments=attachments(doc))
    assert "附件「低保名单」工作表「低保名单」单元格C7含有身份证号" in errors_of(response)
    assert not WorkflowState.objects.exists()


def test_phone_in_a_pdf_is_refused_with_the_page_named(client, editor, tree, make_document):
    doc = make_document("维修合同", "contract.pdf", pdf_with_text("Contact: 13812345678"))
    response = submit(client, editor, tree, attachments=attachments(doc))
    assert "附件「维修合同」第1页含有手机号码，请删除或改为打码形式「138****5678」" in errors_of(
        response
    )


def test_id_number_in_a_docx_and_a_csv(client, editor, tree, make_document):
    docx = make_document(
        "说明", "note.docx", docx_with_paragraphs("第一段无号码", f"申请人{ID_NUMBER}")
    )
    sheet = make_document("名单", "list.csv", f"姓名,卡号\n王某,{CARD}\n".encode("gb18030"))
    message = errors_of(submit(client, editor, tree, attachments=attachments(docx, sheet)))
    assert "附件「说明」第2段含有身份证号" in message
    assert "附件「名单」单元格B2含有银行卡号" in message


def test_broken_attachment_is_not_passed_unread(client, editor, tree, make_document):
    doc = make_document("坏文件", "broken.xlsx", b"not a zip at all")
    assert "附件「坏文件」无法读取" in errors_of(
        submit(client, editor, tree, attachments=attachments(doc))
    )


def test_id_number_in_the_body_rich_text(client, editor, tree):
    from wagtail.test.utils.form_data import rich_text, streamfield

    # A paragraph block with the number in rich text
    body = streamfield([("paragraph", rich_text(f"<p>低保对象：王某（{ID_NUMBER}）</p>"))])
    message = errors_of(submit(client, editor, tree, body=body))
    assert "正文第1块含有身份证号" in message


def test_masked_values_and_a_grid_workers_work_phone_pass(client, editor, tree):
    GridStaff.objects.create(name="李晓梅", role="full_time", work_phone="139-0000-1111")
    summary = f"联系人：网格员李晓梅 13900001111；申请人身份证号{ID_MASKED}，电话138****5678。"
    response = submit(client, editor, tree, summary=summary)
    assert response.status_code == 302
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert WorkflowState.objects.for_instance(page).exists()


def test_a_draft_is_not_blocked_but_submission_is(client, editor, tree):
    client.force_login(editor)
    response = client.post(add_url(tree["东湖社区"]), form_data(summary="电话13812345678"))
    assert response.status_code == 302  # a draft may still be fixed before it goes anywhere
    assert not WorkflowState.objects.exists()


def test_consent_to_publish_a_mobile_is_deliberate_and_logged(client, editor, tree):
    summary = "项目联系人张三 13812345678"
    refused = submit(client, editor, tree, summary=summary, leak_confirm="on", leak_reason="")
    assert "请勾选「已取得当事人同意公开其手机号码」并填写说明" in errors_of(refused)
    response = submit(
        client, editor, tree, summary=summary, leak_confirm="on", leak_reason="张三书面同意公开"
    )
    assert response.status_code == 302
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    entry = PageLogEntry.objects.get(page=page, action=LEAK_CONFIRMED_ACTION)
    assert entry.user == editor
    assert entry.data["reason"] == "张三书面同意公开"
    assert entry.data["places"] == ["摘要：138****5678"]


def test_consent_never_lets_an_id_number_through(client, editor, tree):
    response = submit(
        client, editor, tree, summary=f"身份证{ID_NUMBER}", leak_confirm="on", leak_reason="同意"
    )
    assert "摘要含有身份证号" in errors_of(response)


def test_a_notice_is_checked_before_publication(client, django_user_model, home):
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    data = notice_form_data(f"关于王某（{ID_NUMBER}）的公示", slug="notice-1")
    response = client.post(
        f"/admin/pages/add/pages/noticepage/{index.pk}/", {**data, "action-publish": "1"}
    )
    assert "标题含有身份证号" in errors_of(response)
    assert not NoticePage.objects.exists()
