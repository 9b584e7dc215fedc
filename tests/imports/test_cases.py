"""Case archives: statuses kept but checked, deadlines, 导入 events, search index, scope."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from imports.importers.cases import CaseImporter
from portal.cases.models import Case, CaseEvent

from .conftest import GRID_EAST, GRID_OTHER_TOWN, GRID_WEST, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "案件编号", "标题", "事件描述", "事件类别", "事件来源", "所属网格", "发生地点", "上报时间",
    "当前状态", "办结时间", "处置结果", "满意度", "是否公开",
]  # fmt: skip


def case_row(number, *, status="受理", closed="", resolution="", satisfaction="", public="否",
             grid=GRID_EAST, category="矛盾纠纷", reported="2025-03-01 09:30", source="网格员上报"):  # fmt: skip
    return [number, f"标题{number}", "邻里因漏水发生纠纷", category, source, grid, "3号楼",
            reported, status, closed, resolution, satisfaction, public]  # fmt: skip


def run(path, user=None, **kwargs):
    return CaseImporter(user, **kwargs).run(path)


def test_cases_keep_their_status_and_get_deadline_village_and_one_event(
    grids, categories, tmp_path
):
    rows = [
        HEADER,
        case_row("AJ2025000001"),
        case_row("AJ2025000002", status="办结", closed="2025年3月5日", resolution="已调解"),
        case_row(
            "AJ2025000003",
            status="评价",
            closed="2025/03/04",
            resolution="已清理",
            satisfaction="满意",
            grid=GRID_WEST,
            category="环境卫生",
        ),  # fmt: skip
    ]
    result = run(write_xlsx(tmp_path / "cases.xlsx", rows))
    assert result.imported, [str(e) for e in result.errors]
    first = Case.objects.get(number="AJ2025000001")
    reported = timezone.make_aware(datetime.datetime(2025, 3, 1, 9, 30))
    assert first.reported_at == reported
    assert first.deadline == reported + datetime.timedelta(days=15)
    assert first.village == grids["east"].region and first.status == "accepted"
    rated = Case.objects.get(number="AJ2025000003")
    assert rated.status == "rated" and rated.satisfaction == "satisfied"
    assert rated.deadline == reported + datetime.timedelta(days=7)
    assert rated.village == grids["west"].region
    assert Case.objects.get(number="AJ2025000002").closed_at == timezone.make_aware(
        datetime.datetime(2025, 3, 5)
    )
    events = CaseEvent.objects.all()
    assert events.count() == 3
    assert set(events.values_list("action", flat=True)) == {"import"}
    assert dict(events.values_list("case__number", "to_status")) == {
        "AJ2025000001": "accepted",
        "AJ2025000002": "closed",
        "AJ2025000003": "rated",
    }


def test_reimport_changes_nothing_and_an_edit_records_one_more_event(grids, categories, tmp_path):
    rows = [HEADER, case_row("AJ2025000001"), case_row("AJ2025000002")]
    run(write_xlsx(tmp_path / "a.xlsx", rows))
    again = run(write_xlsx(tmp_path / "b.xlsx", rows))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert CaseEvent.objects.count() == 2
    rows[2] = case_row("AJ2025000002", status="办结", closed="2025-03-02", resolution="已处理")
    changed = run(write_xlsx(tmp_path / "c.xlsx", rows))
    assert changed.counts["update"] == 1 and changed.counts["unchanged"] == 1
    case = Case.objects.get(number="AJ2025000002")
    assert case.status == "closed" and case.resolution == "已处理"
    event = case.events.order_by("-id").first()
    assert (event.action, event.from_status, event.to_status) == ("import", "accepted", "closed")
    assert CaseEvent.objects.count() == 3


def test_case_rules_are_applied(grids, categories, tmp_path):
    rows = [
        HEADER,
        case_row("AJ2025000001", status="办结"),  # no resolution
        case_row("AJ2025000002", status="受理", satisfaction="满意"),
        case_row("AJ2025000003", category="违章建筑"),
        case_row("2025-001"),
        case_row("AJ2025000005", status="办结", closed="2025-02-01", resolution="好"),
        case_row("AJ2025000006", public="是"),  # public without a summary
        case_row("AJ2025000007", source="微信群"),
        case_row("AJ2025000008", reported="2999-01-01"),
        case_row("AJ2025000009", status="处置", closed="2025-03-05"),
    ]
    result = run(write_xlsx(tmp_path / "cases.xlsx", rows))
    assert result.refused and Case.objects.count() == 0
    got = {}
    for error in result.errors:
        got.setdefault((error.row, error.column), []).append(error.message)
    assert "已办结的案件必须填写处置结果" in got[(2, "当前状态")]
    assert "尚未办结的案件不能填写满意度" in got[(3, "当前状态")]
    assert "事件类别“违章建筑”不存在" in got[(4, "事件类别")][0]
    assert "格式不正确" in got[(5, "案件编号")][0]
    assert "办结时间早于上报时间" in got[(6, "办结时间")]
    # public without a summary is a warning now, not an error (issue 9)
    assert not any(row == 7 for row, _column in got)
    assert [(w.row, w.message) for w in result.warnings] == [(7, "已按不公开导入：缺少公开摘要")]
    assert "无法识别" in got[(8, "事件来源")][0]
    assert "晚于今天" in got[(9, "上报时间")][0]
    assert "尚未办结的案件不能填写办结时间" in got[(10, "办结时间")]


def test_search_index_is_told_inside_the_transaction(grids, categories, tmp_path, monkeypatch):
    from search import indexing

    calls = []

    def record(ids):
        calls.append((sorted(ids), connection.in_atomic_block))

    monkeypatch.setattr(indexing, "cases_changed", record)
    rows = [HEADER, case_row("AJ2025000001"), case_row("AJ2025000002")]
    run(write_xlsx(tmp_path / "cases.xlsx", rows))
    ids = sorted(Case.objects.values_list("id", flat=True))
    assert calls == [(ids, True)]


def test_case_in_another_town_is_refused_for_town_admin(grids, categories, town_admin, tmp_path):
    rows = [HEADER, case_row("AJ2025000001"), case_row("AJ2025000002", grid=GRID_OTHER_TOWN)]
    result = run(write_xlsx(tmp_path / "cases.xlsx", rows), user=town_admin)
    assert result.refused
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属网格")]
    assert Case.objects.count() == 0
