"""Every CSV the portal writes starts with a UTF-8 BOM, so Excel on a Chinese
Windows opens it as UTF-8 instead of showing mojibake (issue 12).

The tests read the bytes a user downloads, not a decoded string.
"""

import codecs
import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from wagtail.log_actions import log

from portal.security.spreadsheets import CSV_BOM, csv_bytes
from portal.snippets.models import Grid, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def grid(db):
    county = Region.objects.create(name="清河县", level=Region.Level.COUNTY, code="411523000000")
    town = Region.objects.create(
        name="青石街道", level=Region.Level.TOWN, parent=county, code="411523001000"
    )
    village = Region.objects.create(name="东湖社区", level=Region.Level.VILLAGE, parent=town)
    return Grid.objects.create(
        code="411523001001001", name="东湖第一网格", region=village, households=380
    )


def streamed(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_bom_is_the_utf8_one():
    assert CSV_BOM == codecs.BOM_UTF8 == b"\xef\xbb\xbf"


def test_csv_bytes_adds_exactly_one_bom():
    assert csv_bytes("序号,名称\n") == b"\xef\xbb\xbf" + "序号,名称\n".encode()
    assert csv_bytes("\ufeff序号\n") == b"\xef\xbb\xbf" + "序号\n".encode()


def test_snippet_list_csv_export_starts_with_one_bom(client, superuser, grid):
    client.force_login(superuser)
    response = client.get(reverse("wagtailsnippets_snippets_grid:list"), {"export": "csv"})
    assert response.status_code == 200
    content = streamed(response)
    assert content.startswith(b"\xef\xbb\xbf")
    assert not content[3:].startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(row[0] == grid.code and "东湖第一网格" in row for row in rows)


def test_site_history_csv_export_starts_with_a_bom(client, superuser, grid):
    log(instance=grid, action="wagtail.edit", user=superuser)
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    assert response.status_code == 200
    content = streamed(response)
    assert content.startswith(b"\xef\xbb\xbf")
    assert "东湖第一网格" in content.decode("utf-8-sig")


def test_demo_csv_attachment_starts_with_a_bom(db):
    from demo.pages import _document

    document = _document("fire-checklist")
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").startswith("序号,检查项目")
