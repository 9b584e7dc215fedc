"""The resident's report form /cases/report/: a good report, the abuse guards, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.cases import tracking
from portal.cases.models import Case, CaseEvent, CasePhoto

from .resident import form_token, jpeg_with_gps, number_and_code, submit

pytestmark = pytest.mark.django_db


def test_form_lists_grids_grouped_by_village_and_is_not_cacheable(client, tree, categories):
    response = client.get("/cases/report/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="青石街道 · 东湖社区">' in text
    assert "东湖一网格" in text and "白沙一网格" in text
    assert "不会在网站上公开" in text  # the consent text
    assert "<script" not in text
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_good_report_with_photo_becomes_an_accepted_online_case(client, tree, categories, users):
    response = submit(client, tree.grids.donghu, categories.sanitation, photos=[jpeg_with_gps()])
    assert response.status_code == 200, response.content.decode()[:2000]
    number, code = number_and_code(response)
    case = Case.objects.get(number=number)
    assert case.source == Case.Source.ONLINE and case.get_source_display() == "网上诉求"
    assert case.status == Case.Status.ACCEPTED
    assert case.village == tree.donghu and case.grid == tree.grids.donghu
    assert case.reporter_name == "王秀英" and case.reporter_phone == "13912345678"
    assert case.discoverer is None
    assert case.events.get().action == CaseEvent.Action.CREATE
    # only a keyed hash of the code is stored, and it matches
    assert code not in case.tracking_code_hash and len(case.tracking_code_hash) == 64
    assert tracking.code_matches(case, code)
    assert not tracking.code_matches(case, f"{(int(code) + 1) % 10**8:08d}")
    photo = CasePhoto.objects.get(case=case)
    assert not photo.is_public
    data = photo.image.read()
    assert b"PhoneMaker" not in data and "张三".encode() not in data
    # the thank-you page must never be stored anywhere
    assert "no-store" in response["Cache-Control"]
    assert response.get("X-Page-Cache") in (None, "bypass")
    assert "抄下来" in response.content.decode()
    # the dispatcher sees it as new in the admin list
    client.force_login(users.town)
    listing = client.get("/admin/cases/case/?status__exact=accepted")
    assert number in listing.content.decode()


def test_honeypot_creates_nothing(client, tree, categories):
    response = submit(client, tree.grids.donghu, categories.sanitation, website="http://spam")
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert not Case.objects.exists()


def test_duplicate_submit_makes_one_case_and_shows_the_same_code(client, tree, categories):
    token = form_token(client)
    first = submit(client, tree.grids.donghu, categories.sanitation, token=token)
    second = submit(client, tree.grids.donghu, categories.sanitation, token=token)
    assert Case.objects.count() == 1
    assert number_and_code(first) == number_and_code(second)
    assert "已提交过" in second.content.decode()


def test_flood_from_one_address_gets_a_chinese_429(client, tree, categories, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "case_report_address": "3/h",
        "case_report_phone": None,
    }
    for index in range(3):
        response = submit(
            client, tree.grids.donghu, categories.sanitation, phone=f"1391234567{index}"
        )
        assert response.status_code == 200
    response = submit(client, tree.grids.donghu, categories.sanitation, phone="13912345670")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Case.objects.count() == 3


def test_one_phone_is_limited_across_addresses(client, tree, categories, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "case_report_address": None,
        "case_report_phone": "2/d",
    }
    for address in ("10.0.0.1", "10.0.0.2"):
        token = form_token(client)
        response = client.post(
            "/cases/report/",
            {**_data(tree, categories), "form_token": token},
            REMOTE_ADDR=address,
        )
        assert response.status_code == 200
    token = form_token(client)
    response = client.post(
        "/cases/report/", {**_data(tree, categories), "form_token": token}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 429
    assert Case.objects.count() == 2


def _data(tree, categories):
    from .resident import report_data

    return report_data(tree.grids.donghu, categories.sanitation)


def test_too_long_text_is_refused_in_chinese(client, tree, categories):
    response = submit(client, tree.grids.donghu, categories.sanitation, description="长" * 2001)
    assert response.status_code == 400
    assert "不能超过 2000 字" in response.content.decode()
    assert not Case.objects.exists()


def test_bad_photo_is_refused_in_chinese_and_nothing_is_created(client, tree, categories):
    fake = SimpleUploadedFile("evil.jpg", b"<html><script>alert(1)</script></html>")
    response = submit(
        client, tree.grids.donghu, categories.sanitation, photos=[jpeg_with_gps(), fake]
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 2 张照片（evil.jpg）不是可识别的图片" in text
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_four_photos_are_refused(client, tree, categories):
    photos = [jpeg_with_gps(f"p{i}.jpg", color=(i * 40, 0, 0)) for i in range(4)]
    response = submit(client, tree.grids.donghu, categories.sanitation, photos=photos)
    assert response.status_code == 400
    assert "最多上传 3 张照片" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "手机号码应为11位"),
        ("phone", "", "请填写联系电话"),
        ("name", "", "请填写您的姓名"),
        ("grid", "999999", "所选网格不存在"),
        ("category", "abc", "所选事件类别不存在"),
        ("consent", "", "请勾选同意"),
        ("email", "not-an-email", "电子邮箱格式不正确"),
    ],
)
def test_bad_fields_get_chinese_messages(client, tree, categories, field, value, message):
    response = submit(client, tree.grids.donghu, categories.sanitation, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_a_forged_or_missing_token_is_refused(client, tree, categories):
    response = submit(client, tree.grids.donghu, categories.sanitation, token="short")
    assert response.status_code == 400
    assert "表单已失效" in response.content.decode()
    assert not Case.objects.exists()


def test_many_grids_ask_for_the_village_first(client, tree, categories, monkeypatch):
    from portal.cases import reporting

    monkeypatch.setattr(reporting, "GRID_SELECT_MAX", 2)
    response = client.get("/cases/report/")
    text = response.content.decode()
    assert "第一步：选择所在村（社区）" in text and "东湖一网格" not in text
    response = client.get(f"/cases/report/?village={tree.donghu.pk}")
    text = response.content.decode()
    assert "东湖一网格" in text and "白沙一网格" not in text
    token = form_token(client, f"/cases/report/?village={tree.donghu.pk}")
    response = submit(
        client, tree.grids.donghu2, categories.sanitation, token=token, village=str(tree.donghu.pk)
    )
    assert response.status_code == 200
    assert Case.objects.get().grid == tree.grids.donghu2


def test_a_post_without_csrf_gets_a_chinese_page(tree, categories):
    from django.test import Client

    from .resident import report_data

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/cases/report/", report_data(tree.grids.donghu, categories.sanitation, form_token="x" * 43)
    )
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
    assert not Case.objects.exists()


def test_nul_characters_get_a_chinese_message_not_a_500(client, tree, categories):
    response = submit(
        client, tree.grids.donghu, categories.sanitation, description="路灯\x00坏了很久了"
    )
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post("/cases/track/", {"number": "AJ2026\x00", "code": "1\x00"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
