"""Case photos: re-encoded, EXIF (GPS, device) stripped, private until marked public."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from PIL import Image

from portal.cases.models import CasePhoto
from portal.cases.photos import PhotoError, attach_photos, clean_photo


def jpeg_with_gps(name="phone.jpg", size=(2400, 1800), color=(200, 40, 40)):
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X 张三的手机"  # Model
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 30.0), 3: "E", 4: (114.0, 4.0, 12.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_clean_photo_strips_exif_and_scales_down():
    upload = jpeg_with_gps()
    assert b"PhoneMaker" in upload.read()
    data, width, height = clean_photo(upload)
    assert (width, height) == (1600, 1200)
    assert b"PhoneMaker" not in data and "张三".encode() not in data
    with Image.open(io.BytesIO(data)) as cleaned:
        assert cleaned.format == "JPEG"
        assert not cleaned.getexif()
        assert "exif" not in cleaned.info


def test_transparent_png_becomes_jpeg_on_white():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    data, _, _ = clean_photo(SimpleUploadedFile("a.png", out.getvalue()))
    with Image.open(io.BytesIO(data)) as cleaned:
        assert cleaned.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "不是可识别的图片"),
        (b"", "空文件"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "图片"),
    ],
)
def test_non_images_are_refused_in_chinese(content, message):
    with pytest.raises(PhotoError) as excinfo:
        clean_photo(SimpleUploadedFile("x.jpg", content), index=2)
    text = " ".join(excinfo.value.messages)
    assert "第 2 张照片（x.jpg）" in text
    assert message in text or "损坏" in text


def test_oversized_file_refused(settings):
    settings.CASE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(PhotoError, match="超过"):
        clean_photo(jpeg_with_gps())


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr("portal.cases.photos.MAX_PIXELS", 100)
    with pytest.raises(PhotoError, match="像素过大"):
        clean_photo(jpeg_with_gps(size=(20, 20)))


@pytest.mark.django_db
def test_attach_checks_all_before_storing_any(make_case):
    case = make_case()
    bad = SimpleUploadedFile("bad.jpg", b"not an image")
    with pytest.raises(PhotoError):
        attach_photos(case, [jpeg_with_gps(), bad])
    assert not CasePhoto.objects.exists()
    with pytest.raises(PhotoError, match="最多上传 3 张"):
        attach_photos(case, [jpeg_with_gps(color=(i, 0, 0)) for i in range(4)])
    assert not CasePhoto.objects.exists()


@pytest.mark.django_db
def test_same_photo_twice_is_stored_once_and_cap_per_case(make_case):
    case = make_case()
    first = attach_photos(case, [jpeg_with_gps()])
    again = attach_photos(case, [jpeg_with_gps()])
    assert len(first) == 1 and again == []
    attach_photos(case, [jpeg_with_gps(color=(1, 2, 3)), jpeg_with_gps(color=(9, 9, 9))])
    with pytest.raises(PhotoError, match="每个案件最多 3 张"):
        attach_photos(case, [jpeg_with_gps(color=(50, 50, 50))])
    assert case.photos.count() == 3


@pytest.mark.django_db
def test_photo_served_only_to_staff_in_scope_until_public(client, make_case, users):
    case = make_case()
    (photo,) = attach_photos(case, [jpeg_with_gps()], user=users.donghu)
    url = f"/cases/photos/{photo.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(users.baisha)  # another town
    assert client.get(url).status_code == 404
    client.force_login(users.donghu)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert b"PhoneMaker" not in body
    client.logout()
    photo.is_public = True
    photo.save()
    assert client.get(url).status_code == 404  # the case itself is not public
    case.is_public = True
    case.public_summary = "某小区楼道堆放杂物，已清理。"
    case.save()
    assert client.get(url).status_code == 200
    assert client.get("/cases/photos/999999/").status_code == 404


@pytest.mark.django_db
def test_photo_of_a_rolled_back_transaction_is_swept(make_case, settings):
    case = make_case()
    (kept,) = attach_photos(case, [jpeg_with_gps(color=(5, 5, 5))])
    with pytest.raises(RuntimeError), transaction.atomic():
        (lost,) = attach_photos(case, [jpeg_with_gps()])
        lost_path = Path(lost.image.path)
        raise RuntimeError("a later step of the same report failed")
    assert not CasePhoto.objects.filter(sha256=lost.sha256).exists()
    assert lost_path.is_file()  # written before the commit that never came
    kept_path = Path(kept.image.path)
    fresh = Path(settings.CASE_PHOTO_ROOT) / "fresh-orphan.jpg"
    fresh.write_bytes(b"a transaction still open")
    two_hours_ago = time.time() - 2 * 3600
    for path in (lost_path, kept_path):
        os.utime(path, (two_hours_ago, two_hours_ago))

    out = io.StringIO()
    call_command("prune_import_files", stdout=out)

    assert "1 张无主案件照片" in out.getvalue()
    assert not lost_path.exists()
    assert kept_path.is_file()  # its row exists
    assert fresh.is_file()  # younger than an hour
    fresh.unlink()
