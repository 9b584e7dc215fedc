"""Helpers for the resident-side tests: fill the public report form as a browser would."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')
NUMBER_RE = re.compile(r'class="case-number">(AJ\d+)<')
CODE_RE = re.compile(r'class="query-code"[^>]*>(\d{4} \d{4})<')


def jpeg_with_gps(name="phone.jpg", color=(30, 120, 200)):
    image = Image.new("RGB", (640, 480), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X 张三的手机"
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 30.0), 3: "E", 4: (114.0, 4.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_token(client, url="/cases/report/"):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return TOKEN_RE.search(response.content.decode()).group(1)


def report_data(in_grid, of_category, /, **overrides):
    data = {
        "category": str(of_category.pk),
        "description": "小区东门路灯坏了一个多月，晚上很黑，老人出门不方便。",
        "grid": str(in_grid.pk),
        "place": "东门岗亭旁",
        "name": "王秀英",
        "phone": "13912345678",
        "email": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def submit(client, in_grid, of_category, /, *, token=None, photos=(), **overrides):
    """POST the form; returns the response (token fetched from a fresh GET unless given)."""
    if token is None:
        token = form_token(client)
    data = report_data(in_grid, of_category, form_token=token, **overrides)
    if photos:
        data["photos"] = list(photos)
    return client.post("/cases/report/", data)


def number_and_code(response):
    text = response.content.decode()
    return NUMBER_RE.search(text).group(1), CODE_RE.search(text).group(1).replace(" ", "")
