"""A village board lists its items in date order, newest first (issue 12).

Each item speaks of a date: a periodic report of its period's last day, an
immediate matter of the day it happened. Items about the same day are in
publication order, whatever their kind — the board used to sort those by kind,
so the 发布于 dates a resident reads jumped back and forth.
"""

import datetime
import re

import pytest

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def board(make_disclosure):
    make_disclosure(title="11月财务", kind="finance", period_type="month", period_number=11,
                    published_on=D(2026, 12, 1))  # fmt: skip
    make_disclosure(title="10月财务", kind="finance", period_type="month", period_number=10,
                    published_on=D(2026, 11, 8))  # fmt: skip
    make_disclosure(title="改造项目结果", period_type="immediate", period_number=None,
                    matter_date=D(2026, 10, 22), published_on=D(2026, 10, 25))  # fmt: skip
    make_disclosure(title="三季度村民会议", period_number=3, published_on=D(2026, 10, 2))
    make_disclosure(title="三季度低保", period_number=3, published_on=D(2026, 10, 4))
    make_disclosure(title="三季度党务", kind="party", period_number=3, published_on=D(2026, 10, 3))
    make_disclosure(title="9月财务", kind="finance", period_type="month", period_number=9,
                    published_on=D(2026, 10, 1))  # fmt: skip
    make_disclosure(title="2025年度资产", kind="finance", period_type="year", year=2025,
                    published_on=D(2026, 1, 7))  # fmt: skip
    make_disclosure(title="二季度党务", kind="party", period_number=2, published_on=D(2026, 7, 5))


EXPECTED = [
    "11月财务",
    "10月财务",
    "改造项目结果",
    "三季度低保",
    "三季度党务",
    "三季度村民会议",
    "9月财务",
    "二季度党务",
    "2025年度资产",
]


def test_board_is_in_date_order(client, board):
    response = client.get("/disclosures/donghu/")
    assert response.status_code == 200
    assert [page.title for page in response.context["disclosures"]] == EXPECTED


def test_publication_dates_shown_never_go_up_within_a_year(client, board):
    html = client.get("/disclosures/donghu/").content.decode()
    section = html.split('<h3 class="year-heading">2026年</h3>', 1)[1].split("year-heading", 1)[0]
    shown = [
        D(int(y), int(m), int(d))
        for y, m, d in re.findall(r"发布于 (\d{4})年(\d{1,2})月(\d{1,2})日", section)
    ]
    assert len(shown) == len(EXPECTED) - 1
    assert shown == sorted(shown, reverse=True)


def test_the_order_holds_within_a_filter(client, board):
    response = client.get("/disclosures/donghu/", {"year": 2026, "period": "q3"})
    assert [page.title for page in response.context["disclosures"]] == [
        "三季度低保",
        "三季度党务",
        "三季度村民会议",
        "9月财务",
    ]
