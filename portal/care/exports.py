"""The month's figures and ranking as CSV or Excel, written by the portal's one safe-writer rule.

Every cell goes through ``portal.security.spreadsheets.neutralise`` (CSV fields
quoted, formula-like text prefixed) — ``imports.spreadsheet.append_safe`` for
Excel. Only figures and grid names are written: no person.
"""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse

from imports.spreadsheet import append_safe
from portal.security.spreadsheets import CSV_QUOTING, neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GRID_HEADINGS = [
    "名次",
    "网格编码",
    "网格名称",
    "所属村（社区）",
    "综合得分",
    "星级",
    "巡查次数",
    "巡查天数",
    "应访",
    "已访",
    "走访完成率",
    "逾期未访（人）",
    "两期未访（人）",
    "上报事件",
    "办结事件",
    "按期办结",
    "按期办结率",
    "满意率",
]
WORKER_HEADINGS = [
    "网格员",
    "账号",
    "巡查次数",
    "巡查天数",
    "应访",
    "已访",
    "走访完成率",
    "逾期未访（人）",
    "上报事件",
    "办结事件",
    "按期办结",
    "按期办结率",
    "满意率",
]


def percent(rate):
    return "" if rate is None else f"{rate * 100:.1f}%"


def grid_rows(ranked):
    for item in ranked:
        f = item.figures
        yield [
            item.rank or "",
            item.grid.code,
            item.grid.name,
            item.grid.region.name,
            "" if item.score is None else item.score,
            item.stars or "",
            f.rounds,
            f.round_days,
            f.visits_due,
            f.visits_done,
            percent(f.visit_completion),
            f.visits_overdue,
            f.visits_overdue_twice,
            f.cases_reported,
            f.cases_closed,
            f.closed_on_time,
            percent(f.on_time_rate),
            percent(f.satisfaction_rate),
        ]


def worker_name(user):
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def worker_rows(workers):
    for f in workers:
        yield [
            worker_name(f.subject),
            f.subject.get_username(),
            f.rounds,
            f.round_days,
            f.visits_due,
            f.visits_done,
            percent(f.visit_completion),
            f.visits_overdue,
            f.cases_reported,
            f.cases_closed,
            f.closed_on_time,
            percent(f.on_time_rate),
            percent(f.satisfaction_rate),
        ]


def _attachment(response, filename):
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_response(filename, ranked):
    out = io.StringIO()
    writer = csv.writer(out, quoting=CSV_QUOTING)
    writer.writerow([neutralise(h) for h in GRID_HEADINGS])
    for row in grid_rows(ranked):
        writer.writerow([neutralise(v) for v in row])
    # BOM: Excel and WPS read UTF-8 CSV as such only with it
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{filename}.csv")


def xlsx_response(filename, ranked, workers):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    grids = book.create_sheet("网格排名")
    append_safe(grids, GRID_HEADINGS)
    for row in grid_rows(ranked):
        append_safe(grids, row)
    people = book.create_sheet("网格员")
    append_safe(people, WORKER_HEADINGS)
    for row in worker_rows(workers):
        append_safe(people, row)
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), f"{filename}.xlsx")
