"""Chinese dates and 已办结/办理中 wording on the public case pages and the case search."""

import datetime

from django.utils import timezone

from portal.cases.templatetags.case_public import case_state, chinese_date, cn_date


def test_chinese_date_from_iso_text_dates_and_aware_datetimes():
    assert chinese_date("2026-03-05T23:30:00+08:00") == "2026年3月5日"
    assert chinese_date("2026-03-05") == "2026年3月5日"
    assert chinese_date(datetime.date(2026, 12, 1)) == "2026年12月1日"
    # 16:30 UTC is already the next day in Asia/Shanghai
    utc = datetime.datetime(2026, 3, 5, 16, 30, tzinfo=datetime.UTC)
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
    assert chinese_date(utc) == "2026年3月6日"
    assert chinese_date("not a date") == "" and chinese_date(None) == ""


def test_cn_date_never_breaks_across_lines():
    html = str(cn_date("2026-03-05T10:00:00+08:00"))
    assert html == '<time class="nowrap" datetime="2026-03-05">2026年3月5日</time>'


def test_case_state_in_words():
    assert (case_state(True), case_state(False)) == ("已办结", "办理中")
