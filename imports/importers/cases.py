"""Case archives (案件台账): upsert on the case number, through the case rules.

Imported cases keep the status the sheet gives — history elsewhere is not
replayed step by step — but they go through ``portal.cases.services`` rather
than around it: the number format (``CASE_NUMBER_RE``), the state rules
(``case_state_problems``), the public-summary rules
(``public_summary_problems``), the deadline (``compute_deadline``), the
village taken from the grid, one 导入 event per case written, and the search
index told (``search.indexing.cases_changed``) once per chunk inside the
transaction. ``services.build_case`` does the same checks per case but with a
query per row; for archives of 10⁵–10⁶ rows the importer calls the same rule
functions on whole chunks instead.
"""

from django.utils import timezone

from portal.cases.models import Case, CaseCategory, CaseEvent
from portal.cases.services import (
    CASE_NUMBER_RE,
    case_state_problems,
    compute_deadline,
    public_summary_problems,
)
from search import indexing

from ..cleaning import (
    choice_cleaner,
    clean_bool,
    clean_datetime,
    clean_name,
    clean_phone,
    clean_text,
)
from ..table import Column
from .base import NEW, UNCHANGED, UPDATE, BaseImporter, chunked
from .lookups import LOOKUP_CHUNK, GridLookup, Scope, clean_grid_ref

Status = Case.Status

clean_source = choice_cleaner(
    Case.Source.choices,
    "事件来源",
    {"网格员": "grid_worker", "网格上报": "grid_worker", "网格员巡查": "grid_worker",
     "12345": "hotline_12345", "热线": "hotline_12345", "市民热线": "hotline_12345",
     "来访": "visit", "信访": "visit", "交办": "superior", "移交": "department"},
)  # fmt: skip
clean_status = choice_cleaner(
    Status.choices,
    "当前状态",
    {"已受理": "accepted", "待分拨": "accepted", "已分拨": "dispatched", "处置中": "handling",
     "办理中": "handling", "处理中": "handling", "已办结": "closed", "已回访": "visited",
     "已评价": "rated"},
)  # fmt: skip
clean_satisfaction = choice_cleaner(
    Case.Satisfaction.choices, "满意度", {"非常满意": "satisfied", "比较满意": "basic"}
)


def clean_case_number(value):
    return clean_text(value).replace(" ", "").upper()


COLUMNS = [
    Column("seq", "序号", ignored=True),
    Column(
        "number",
        "案件编号",
        clean_case_number,
        synonyms=("事件编号", "工单编号", "案件号"),
        required=True,
        help="AJ + 4位年份 + 6位序号",
        example="AJ2025000001",
    ),
    Column(
        "title",
        "标题",
        clean_text,
        synonyms=("事件标题", "案件标题", "事件名称"),
        required=True,
        example="楼道堆放杂物",
    ),
    Column(
        "description",
        "事件描述",
        clean_text,
        synonyms=("描述", "事件内容", "诉求内容", "案件描述", "具体描述"),
        required=True,
        example="3号楼1单元楼道堆放杂物，影响通行",
    ),
    Column(
        "category",
        "事件类别",
        clean_text,
        synonyms=("类别", "事件类型", "案件类别"),
        required=True,
    ),
    Column(
        "source",
        "事件来源",
        clean_source,
        synonyms=("来源", "案件来源"),
        required=True,
        example="网格员上报",
    ),
    Column(
        "grid",
        "所属网格",
        clean_grid_ref,
        synonyms=("网格编码", "所属网格编码", "网格"),
        required=True,
        help="填写网格编码",
    ),
    Column(
        "place",
        "发生地点",
        clean_text,
        synonyms=("地点", "事发地点", "地址"),
        example="东湖社区3号楼",
    ),
    Column(
        "reported_at",
        "上报时间",
        clean_datetime,
        synonyms=("受理时间", "登记时间", "上报日期"),
        required=True,
        example="2025-03-01 09:30",
    ),
    Column(
        "status",
        "当前状态",
        clean_status,
        synonyms=("状态", "办理状态", "案件状态"),
        help="不填视为受理",
        example="办结",
    ),
    Column("closed_at", "办结时间", clean_datetime, synonyms=("办结日期",), example="2025-03-03"),
    Column(
        "resolution",
        "处置结果",
        clean_text,
        synonyms=("处理结果", "办理结果", "办结情况"),
        example="已协调物业清理",
    ),
    Column(
        "satisfaction",
        "满意度",
        clean_satisfaction,
        synonyms=("群众满意度", "评价结果"),
        example="",
    ),
    Column("is_public", "是否公开", clean_bool, synonyms=("公开",), example="否"),
    Column("public_summary", "公开摘要", clean_text, synonyms=("公开内容",)),
    Column("reporter_name", "反映人", clean_name, synonyms=("反映人姓名", "诉求人", "当事人")),
    Column(
        "reporter_phone",
        "反映人电话",
        clean_phone,
        synonyms=("反映人联系电话", "联系电话", "诉求人电话"),
    ),
    Column("handler_unit", "处置单位", clean_text, synonyms=("承办单位", "责任单位")),
]

# model field → label; compared for existing cases when the sheet fills the cell
COMPARED = [
    ("title", "标题"),
    ("description", "事件描述"),
    ("category_id", "事件类别"),
    ("source", "事件来源"),
    ("grid_id", "所属网格"),
    ("place", "发生地点"),
    ("reported_at", "上报时间"),
    ("status", "当前状态"),
    ("closed_at", "办结时间"),
    ("resolution", "处置结果"),
    ("satisfaction", "满意度"),
    ("is_public", "是否公开"),
    ("public_summary", "公开摘要"),
    ("reporter_name", "反映人"),
    ("reporter_phone", "反映人电话"),
    ("handler_unit", "处置单位"),
]
_DIRECT = {"category_id": "category_id", "grid_id": "grid_id"}


class CaseImporter(BaseImporter):
    kind = "cases"
    columns = COLUMNS
    key_column = "number"

    def check_row(self, row):
        data = row.data
        number = data.get("number")
        if number and not CASE_NUMBER_RE.match(number):
            row.refuse(
                self.header("number"),
                f"案件编号“{number}”格式不正确，应为 AJ + 4位年份 + 至少6位序号，如 AJ2025000001",
            )
        reported, closed = data.get("reported_at"), data.get("closed_at")
        if reported and closed and closed < reported:
            row.refuse(self.header("closed_at"), "办结时间早于上报时间")

    def describe(self, row):
        return {
            "案件编号": row.data.get("number", ""),
            "标题": row.data.get("title", ""),
            "当前状态": Status(row.data["status"]).label if row.data.get("status") else "",
        }

    def resolve(self, rows, result):
        scope = Scope(self.user)
        categories = {}
        for category in CaseCategory.objects.all():
            categories[category.name] = category
            categories[category.code] = category
        self.categories = {category.id: category for category in categories.values()}
        category_names = "、".join(sorted({c.name for c in categories.values()})) or "（尚未设置）"
        grids = GridLookup({row.data["grid"] for row in rows if row.data.get("grid")}, scope)
        self.grid_region = {}
        for row in rows:
            data = row.data
            name = data.get("category")
            if name:
                category = categories.get(name)
                if category is None:
                    row.refuse(
                        self.header("category"),
                        f"事件类别“{name}”不存在，可填写：{category_names}",
                    )
                else:
                    data["category_id"] = category.id
            ref = data.get("grid")
            if ref:
                problem = grids.problem(ref)
                if problem:
                    row.refuse(self.header("grid"), problem)
                else:
                    grid = grids.get(ref)
                    data["grid_id"] = grid.id
                    self.grid_region[grid.id] = grid.region_id

        # Chunk by chunk, so that only one chunk of stored cases is in memory.
        pending = [row for row in rows if not row.errors]
        for start in range(0, len(pending), LOOKUP_CHUNK):
            self._classify(pending[start : start + LOOKUP_CHUNK], scope)
            self.progress("比对已有数据", min(start + LOOKUP_CHUNK, len(pending)), len(pending))

    def _classify(self, rows, scope):
        fields = ["id", "number", "village_id", "tier", *(name for name, _label in COMPARED)]
        existing = {
            values[1]: dict(zip(fields, values, strict=True))
            for values in Case.objects.filter(
                number__in=[row.data["number"] for row in rows]
            ).values_list(*fields)
        }
        for row in rows:
            data = row.data
            before = existing.get(data["number"])
            if before is not None and not scope.allows(before["village_id"]):
                row.refuse(self.header("number"), "该案件属于您管辖范围以外的村（社区），不能修改")
                continue
            state = self._merged_state(data, before)
            if not self._check_state(row, state):
                continue
            if before is None:
                row.outcome = NEW  # the state is built again when writing: saves memory
                continue
            row.pk = before["id"]
            changes, model_changes = [], {}
            for name, label in COMPARED:
                key = _DIRECT.get(name, name)
                if key not in data:
                    continue
                if state[name] != before[name]:
                    changes.append(label)
                    model_changes[name] = state[name]
            if state["closed_at"] != before["closed_at"] and "办结时间" not in changes:
                changes.append("办结时间")
                model_changes["closed_at"] = state["closed_at"]
            if changes:
                row.outcome = UPDATE
                row.changes = tuple(changes)
                model_changes["_from_status"] = before["status"]
                model_changes["_tier"] = before["tier"]
                model_changes["_state"] = state
                row.before = model_changes
            else:
                row.outcome = UNCHANGED

    @staticmethod
    def _merged_state(data, before):
        """The case as it will be: sheet values over stored ones (blank cells keep them)."""
        state = {}
        for name, _label in COMPARED:
            if name in data:
                state[name] = data[name]
            elif before is not None:
                state[name] = before[name]
            else:
                state[name] = {
                    "status": Status.ACCEPTED,
                    "is_public": False,
                    "closed_at": None,
                }.get(name, "")
        if state["status"] in Case.CLOSED_STATUSES and state["closed_at"] is None:
            state["closed_at"] = state["reported_at"]  # as services._clean does
        return state

    def _check_state(self, row, state):
        status_header = self.header("status")
        for problem in case_state_problems(
            state["status"], state["resolution"], state["satisfaction"]
        ):
            row.refuse(status_header, problem)
        if state["closed_at"] and state["status"] not in Case.CLOSED_STATUSES:
            row.refuse(self.header("closed_at"), "尚未办结的案件不能填写办结时间")
        elif (
            state["closed_at"]
            and state["reported_at"]
            and state["closed_at"] < state["reported_at"]
        ):
            row.refuse(self.header("closed_at"), "办结时间早于上报时间")
        for problem in public_summary_problems(
            state["is_public"],
            state["public_summary"],
            state["reporter_name"],
            state["reporter_phone"],
        ):
            row.refuse(self.header("public_summary"), problem)
        return not row.errors

    # --- writing ---------------------------------------------------------------------

    def _event(self, case_id, from_status, to_status, tier, detail):
        return CaseEvent(
            case_id=case_id,
            action=CaseEvent.Action.IMPORT,
            actor=self.user,
            at=self.now,
            from_status=from_status,
            to_status=to_status,
            from_tier="",
            to_tier=tier,
            detail=detail[:300],
        )

    def write(self, new_rows, update_rows, result):
        self.now = timezone.now()
        done, total = 0, len(new_rows) + len(update_rows)
        detail_new = f"批量导入（{self.file_name}），状态：{{}}"
        for chunk in chunked(new_rows):
            cases = []
            for row in chunk:
                state = self._merged_state(row.data, None)
                category = self.categories[state["category_id"]]
                cases.append(
                    Case(
                        number=row.data["number"],
                        village_id=self.grid_region[state["grid_id"]],
                        deadline=compute_deadline(category, state["reported_at"]),
                        tier=Case.Tier.GRID,
                        **{name: state[name] for name, _label in COMPARED},
                    )
                )
            Case.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                self._event(
                    case.pk,
                    "",
                    case.status,
                    case.tier,
                    detail_new.format(case.get_status_display()),
                )
                for case in cases
            )
            indexing.cases_changed([case.pk for case in cases])
            done += len(chunk)
            self.progress("写入数据库", done, total)
        for chunk in chunked(update_rows):
            groups, events = {}, []
            for row in chunk:
                changes = dict(row.before)
                from_status = changes.pop("_from_status")
                tier = changes.pop("_tier")
                state = changes.pop("_state")
                if "category_id" in changes or "reported_at" in changes:
                    category = self.categories[state["category_id"]]
                    changes["deadline"] = compute_deadline(category, state["reported_at"])
                if "grid_id" in changes:
                    changes["village_id"] = self.grid_region[state["grid_id"]]
                changes["updated_at"] = self.now
                groups.setdefault(tuple(sorted(changes)), []).append(Case(pk=row.pk, **changes))
                events.append(
                    self._event(
                        row.pk,
                        from_status,
                        state["status"],
                        tier,
                        f"批量导入（{self.file_name}）更新：{'、'.join(row.changes)}",
                    )
                )
            for fields, objects in groups.items():
                Case.objects.bulk_update(objects, fields)
            CaseEvent.objects.bulk_create(events)
            indexing.cases_changed([row.pk for row in chunk])
            done += len(chunk)
            self.progress("写入数据库", done, total)
