"""The figures page: scoped to the user's towns, exports that match the page and are formula-safe."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("care_figures")


def test_town_admin_sees_ranking_and_exports(client, november):
    client.force_login(november.town_admin_a)
    query = f"?town={november.town_a.pk}&month=2026-11"
    page = client.get(URL + query).content.decode()
    assert "青石街道2026年11月星级网格排名" in page
    assert "73.3" in page and "66.7" in page and "<svg" in page
    response = client.get(URL + query + "&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["名次", "网格编码", "网格名称", "所属村（社区）", "综合得分", "星级"]
    assert [r[2] for r in rows[1:]] == ["东湖第一网格", "西岭第一网格"]
    assert rows[1][4] == "73.3" and rows[1][10] == "83.3%"
    response = client.get(URL + query + "&export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["网格排名", "网格员"]
    grid_rows = list(book["网格排名"].values)
    assert grid_rows[1][2] == "东湖第一网格" and grid_rows[1][4] == 73.3
    workers = {r[1]: r for r in list(book["网格员"].values)[1:]}
    assert workers["worker_a"][2] == 15  # rounds


def test_exports_neutralise_formula_like_names(client, november):
    november.grid_a.name = "=HYPERLINK(1)"
    november.grid_a.save()
    client.force_login(november.town_admin_a)
    query = f"?town={november.town_a.pk}&month=2026-11"
    text = client.get(URL + query + "&export=csv").content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(1)"' in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL + query + "&export=xlsx").content))
    assert list(book["网格排名"].values)[1][2] == "'=HYPERLINK(1)"


def test_other_towns_and_workers_are_refused(client, november):
    client.force_login(november.town_admin_b)
    page = client.get(URL + f"?town={november.town_a.pk}&month=2026-11").content.decode()
    assert "东湖第一网格" not in page
    assert "青石街道" not in page
    client.force_login(november.worker_a)
    assert client.get(URL).status_code == 403


def test_bad_month_is_a_chinese_message(client, november):
    client.force_login(november.town_admin_a)
    page = client.get(URL + f"?town={november.town_a.pk}&month=2026-13").content.decode()
    assert "月份应在1到12之间" in page
    page = client.get(URL + f"?town={november.town_a.pk}&month=2099-01").content.decode()
    assert "尚未开始" in page


def test_dashboard_ranking_panel(client, november, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.force_login(november.town_admin_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "本月星级网格" in html and "东湖第一网格" in html
