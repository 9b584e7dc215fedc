"""Points ledger entries (积分: 道德银行/时间银行): earned and redeemed points.

One row is one ledger line: the volunteer (ID number or mobile number), the
date, 获得 or 兑换, the points and the reason. Natural key: (volunteer, date,
kind, reason, points) — an entry already stored is not imported twice (a
ledger line is never edited by an import). A redemption may not overdraw:
the ledger rule of ``portal.snippets.volunteering`` (``overdraw_problem``) is
applied to the stored balance plus the file's entries in date order, and the
row that would overdraw is refused by its number.
"""

from portal.snippets.models import PointsEntry
from portal.snippets.volunteering import overdraw_problem, points_balances

from ..cleaning import CellError, choice_cleaner, clean_count, clean_date, clean_text
from ..table import Column
from .base import NEW, UNCHANGED, BaseImporter, insert_rows
from .lookups import Scope, in_chunks
from .volunteer_refs import VOLUNTEER_COLUMNS, VolunteerRefs, describe_volunteer

clean_kind = choice_cleaner(
    PointsEntry.Kind.choices,
    "类型",
    {"获取": "earned", "获得积分": "earned", "增加": "earned", "存入": "earned", "加分": "earned",
     "兑换积分": "redeemed", "使用": "redeemed", "扣减": "redeemed", "支出": "redeemed"},
)  # fmt: skip


def clean_points(value):
    points = clean_count(value)
    if points == 0:
        raise CellError("积分必须大于0")
    return points


COLUMNS = [
    Column("seq", "序号", ignored=True),
    *VOLUNTEER_COLUMNS,
    Column(
        "date", "日期", clean_date, synonyms=("积分日期", "发生日期"), required=True,
        example="2025-03-01",
    ),
    Column(
        "kind", "类型", clean_kind, synonyms=("积分类型", "收支"), required=True,
        help="获得 或 兑换", example="获得",
    ),
    Column(
        "points", "积分", clean_points, synonyms=("分值", "积分数"), required=True,
        help="正整数", example="10",
    ),
    Column(
        "reason", "事由", clean_text, synonyms=("原因", "积分事由", "说明"), required=True,
        example="参加社区环境整治",
    ),
]  # fmt: skip


class PointsImporter(BaseImporter):
    kind = "points"
    label = "积分记录"
    columns = COLUMNS
    key_column = "date"

    def natural_key(self, row):
        return None  # a ledger may hold two equal lines of different files; see ``resolve``

    def check_row(self, row):
        data = row.data
        if not (data.get("id_number") or data.get("phone")):
            row.refuse(self.header("id_number"), "请填写志愿者的身份证号或手机号码")
        reason = data.get("reason")
        if reason and len(reason) > PointsEntry._meta.get_field("reason").max_length:
            row.refuse(self.header("reason"), "事由过长，请控制在200字以内")

    def describe(self, row):
        kind = row.data.get("kind")
        return {
            **describe_volunteer(row),
            "日期": str(row.data.get("date", "")),
            "类型": PointsEntry.Kind(kind).label if kind else "",
            "积分": row.data.get("points", ""),
            "事由": row.data.get("reason", ""),
        }

    @staticmethod
    def _key(row):
        data = row.data
        return (data["volunteer_id"], data["date"], data["kind"], data["reason"], data["points"])

    def resolve(self, rows, result):
        scope = Scope(self.user)
        pending = [row for row in rows if not row.errors]
        VolunteerRefs(self, scope).resolve(pending)
        pending = [row for row in pending if not row.errors]
        volunteer_ids = {row.data["volunteer_id"] for row in pending}
        stored = set()
        balances = {}
        for chunk in in_chunks(volunteer_ids):
            stored.update(
                PointsEntry.objects.filter(volunteer_id__in=chunk).values_list(
                    "volunteer_id", "date", "kind", "reason", "points"
                )
            )
            balances.update(points_balances(chunk))
        seen = {}
        for row in sorted(pending, key=lambda row: (row.data["date"], row.number)):
            key = self._key(row)
            if key in stored:
                row.outcome = UNCHANGED
                continue
            if key in seen:
                row.refuse(
                    self.header("reason"),
                    f"与第 {seen[key]} 行是同一志愿者、同一日期的相同积分记录，同一文件中不能出现两次",
                )
                continue
            seen[key] = row.number
            volunteer_id, points = row.data["volunteer_id"], row.data["points"]
            if row.data["kind"] == PointsEntry.Kind.REDEEMED:
                problem = overdraw_problem(balances[volunteer_id], points)
                if problem:
                    row.refuse(self.header("points"), problem)
                    continue
                balances[volunteer_id] -= points
            else:
                balances[volunteer_id] += points
            row.outcome = NEW

    def write(self, new_rows, update_rows, result):
        insert_rows(
            PointsEntry,
            ("volunteer", "date", "kind", "points", "reason"),
            [
                (
                    row.data["volunteer_id"],
                    row.data["date"],
                    row.data["kind"],
                    row.data["points"],
                    row.data["reason"],
                )
                for row in new_rows
            ],
        )
        self.progress("写入数据库", len(new_rows), len(new_rows))
