"""Case archives (案件台账): upsert on the case number, through the case rules.

Imported cases keep the status the sheet gives — history elsewhere is not
replayed step by step — but they go through ``portal.cases.services`` rather
than around it (one door): every new or changed row is the case
``services.prepare_case`` builds — its field validation, its defaults (the
deadline from the category, a closed case's 办结时间), its phone and
public-summary rules — checked once, while the file is classified, and written
as built; each new case's first event is ``services.creation_event``. The
importer adds what a sheet needs on top: the number format
(``CASE_NUMBER_RE``), the state rules (``case_state_problems``), a public row
without a summary imported as not public (a warning), the village taken from
the grid, and the search index told (``search.indexing.cases_changed``) once
for the whole file inside the transaction. ``services.build_case`` does the same
checks per case but with a query per row; for archives of 10⁵–10⁶ rows the
importer does those look-ups on whole chunks instead.
"""

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from portal.cases import fields as case_fields
from portal.cases.models import Case, CaseCategory, CaseEvent
from portal.cases.services import (
    CASE_NUMBER_RE,
    CaseRuleError,
    case_state_problems,
    compute_deadline,
    creation_event,
    prepare_case,
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
from .base import (
    NEW,
    UNAVAILABLE_CASE_NUMBER,
    BaseImporter,
    chunked,
    refuse_out_of_scope,
)
from .gridref import clean_grid_cell
from .lookups import LOOKUP_CHUNK, Scope, rows_with_grids

# A row marked public without a summary is imported as not public (a warning):
# public pages show only the summary written for the public, never the report.
PUBLIC_WITHOUT_SUMMARY = "已按不公开导入：缺少公开摘要"
# Deadline of a category created by an import (editable in the admin afterwards).
NEW_CATEGORY_DEADLINE_DAYS = 15

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


# How the importer reads each sheet column ``portal.cases.fields`` declares
# importable; the header and the column's place in the sheet are the
# declaration's, shared with the export (``imports.resources.CaseResource``).
READING = {
    "number": dict(
        clean=clean_case_number,
        synonyms=("事件编号", "工单编号", "案件号"),
        required=True,
        help="AJ + 4位年份 + 6位序号",
        example="AJ2025000001",
    ),
    "title": dict(
        clean=clean_text,
        synonyms=("事件标题", "案件标题", "事件名称"),
        required=True,
        example="楼道堆放杂物",
    ),
    "description": dict(
        clean=clean_text,
        synonyms=("描述", "事件内容", "诉求内容", "案件描述", "具体描述"),
        required=True,
        example="3号楼1单元楼道堆放杂物，影响通行",
    ),
    "category": dict(clean=clean_text, synonyms=("类别", "事件类型", "案件类别"), required=True),
    "source": dict(
        clean=clean_source, synonyms=("来源", "案件来源"), required=True, example="网格员上报"
    ),
    "grid": dict(
        clean=clean_grid_cell,
        synonyms=("网格编码", "所属网格编码", "网格"),
        required=True,
        help="填写网格编码，或从下拉列表选择“网格名称（网格编码）”",
    ),
    "place": dict(clean=clean_text, synonyms=("地点", "事发地点", "地址"), example="东湖社区3号楼"),
    "reported_at": dict(
        clean=clean_datetime,
        synonyms=("受理时间", "登记时间", "上报日期"),
        required=True,
        example="2025-03-01 09:30",
    ),
    "status": dict(
        clean=clean_status,
        synonyms=("状态", "办理状态", "案件状态"),
        help="不填视为受理",
        example="办结",
    ),
    "closed_at": dict(clean=clean_datetime, synonyms=("办结日期",), example="2025-03-03"),
    "resolution": dict(
        clean=clean_text, synonyms=("处理结果", "办理结果", "办结情况"), example="已协调物业清理"
    ),
    "satisfaction": dict(clean=clean_satisfaction, synonyms=("群众满意度", "评价结果"), example=""),
    "is_public": dict(clean=clean_bool, synonyms=("公开",), example="否"),
    "public_summary": dict(clean=clean_text, synonyms=("公开内容",)),
    "reporter_name": dict(clean=clean_name, synonyms=("反映人姓名", "诉求人", "当事人")),
    "reporter_phone": dict(
        clean=clean_phone, synonyms=("反映人联系电话", "联系电话", "诉求人电话")
    ),
    "handler_unit": dict(clean=clean_text, synonyms=("承办单位", "责任单位")),
}


def _columns():
    """序号 (recognised, not imported: it is no field of a case), then the declared columns."""
    declared = [f.name for f in case_fields.IMPORTED]
    unread = [name for name in declared if name not in READING]
    stray = [name for name in READING if name not in declared]
    if unread or stray:
        raise ImproperlyConfigured(
            f"case sheet columns without a reading: {unread}; readings of no column: {stray}"
        )
    return [
        Column("seq", "序号", ignored=True),
        *(Column(f.name, f.label, **READING[f.name]) for f in case_fields.IMPORTED),
    ]


COLUMNS = _columns()
KEY = "number"
# model attribute → header; compared for existing cases when the sheet fills the cell.
# Every imported column but the key (the number a row is matched on).
COMPARED = [
    (Case._meta.get_field(f.name).attname, f.label) for f in case_fields.IMPORTED if f.name != KEY
]
# A prepared new case travels to ``write`` as these values (``Case(*values)``).
CASE_ATTNAMES = [field.attname for field in Case._meta.concrete_fields]


class CaseImporter(BaseImporter):
    kind = "cases"
    columns = COLUMNS
    key_column = KEY

    def check_row(self, row):
        data = row.data
        number = data.get("number")
        if number:
            match = CASE_NUMBER_RE.match(number)
            if not match:
                row.refuse(
                    self.header("number"),
                    f"案件编号“{number}”格式不正确，应为 AJ + 4位年份 + 至少6位序号，如 AJ2025000001",
                )
            elif int(match.group(1)) > timezone.localdate().year:
                # No case is numbered in a year still to come; the message is the
                # one an out-of-scope case number gets, so neither reveals anything.
                row.refuse(self.header("number"), UNAVAILABLE_CASE_NUMBER)
        reported, closed = data.get("reported_at"), data.get("closed_at")
        if reported and closed and closed < reported:
            row.refuse(self.header("closed_at"), "办结时间早于上报时间")

    def describe(self, row):
        return {
            "案件编号": row.data.get("number", ""),
            "标题": row.data.get("title", ""),
            "当前状态": Status(row.data["status"]).label if row.data.get("status") else "",
        }

    # --- categories ------------------------------------------------------------------

    def _category_options(self):
        """What the user chose for categories the catalog lacks: create them, or map them."""
        allow_new = bool(self.options.get("allow_new_categories"))
        mapping = self.options.get("category_map") or {}
        if not isinstance(mapping, dict):
            mapping = {}
        return allow_new, {str(k).strip(): str(v).strip() for k, v in mapping.items() if v}

    def _resolve_categories(self, rows, result):
        categories = {}
        for category in CaseCategory.objects.all():
            categories[category.name] = category
            categories[category.code] = category
        self.categories = {category.id: category for category in categories.values()}
        self.new_categories = {}
        names = sorted({c.name for c in categories.values()})
        category_names = "、".join(names) or "（尚未设置）"
        allow_new, mapping = self._category_options()
        header = self.header("category")
        unknown = {}
        for row in rows:
            name = row.data.get("category")
            if not name:
                continue
            category = categories.get(name)
            if category is not None:
                row.data["category_id"] = category.id
                continue
            entry = unknown.setdefault(name, {"name": name, "rows": 0, "action": "refused"})
            entry["rows"] += 1
            target = mapping.get(name)
            if target:
                category = categories.get(target)
                if category is None:
                    row.refuse(header, f"事件类别“{name}”要对应的类别“{target}”不存在")
                    continue
                entry["action"], entry["mapped_to"] = "mapped", category.name
                row.data["category_id"] = category.id
            elif allow_new:
                entry["action"] = "new"
                row.data["new_category"] = name
                self.new_categories.setdefault(
                    name, CaseCategory(name=name, deadline_days=NEW_CATEGORY_DEADLINE_DAYS)
                )
            else:
                row.refuse(
                    header,
                    f"事件类别“{name}”不存在，可填写：{category_names}；"
                    "也可在预览中勾选“允许新建类别”，或把它对应到已有类别",
                )
        result.extra["unknown_categories"] = [unknown[name] for name in sorted(unknown)]
        result.extra["category_choices"] = names
        result.extra["new_category_deadline_days"] = NEW_CATEGORY_DEADLINE_DAYS

    def _category_of(self, data):
        if "new_category" in data:
            return self.new_categories[data["new_category"]]
        return self.categories[data["category_id"]]

    def resolve(self, rows, result):
        scope = Scope(self.user)
        self._resolve_categories(rows, result)
        self.grid_region = {}
        for row, grid in rows_with_grids(self, rows, scope):
            row.data["grid_id"] = grid.id
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
                refuse_out_of_scope(
                    self, row, self.header("number"), UNAVAILABLE_CASE_NUMBER, Case, before["id"]
                )
                continue
            state = self._merged_state(data, before)
            if not self._check_state(row, state):
                continue
            # Every row, new or changed, is the case ``services.prepare_case`` builds
            # (its field rules, its defaults such as 办结时间 for a closed case).
            case = self._new_case(row, state)
            if case is None:
                continue
            state["closed_at"] = case.closed_at
            if before is None:
                # The prepared case's values, kept compactly until it is written.
                row.outcome = NEW
                row.before = tuple(getattr(case, name) for name in CASE_ATTNAMES)
                continue
            row.pk = before["id"]
            changes, model_changes = [], {}
            for name, label in COMPARED:
                if name == "category_id" and "new_category" in data:
                    changes.append(label)  # a category created on import: always a change
                    model_changes[name] = None
                    continue
                if name not in data:
                    continue
                if state[name] != before[name]:
                    changes.append(label)
                    model_changes[name] = state[name]
            if state["closed_at"] != before["closed_at"] and "办结时间" not in changes:
                changes.append("办结时间")
                model_changes["closed_at"] = state["closed_at"]
            if changes:
                model_changes["_from_status"] = before["status"]
                model_changes["_tier"] = before["tier"]
                model_changes["_state"] = state
            row.settle(changes, model_changes)

    @staticmethod
    def _merged_state(data, before):
        """The sheet's values over stored ones (blank cells keep them), before the case rules.

        Defaults the rules add (a closed case's 办结时间) come from ``prepare_case``.
        """
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
        if state["is_public"] and not (state["public_summary"] or "").strip():
            # Not a reason to refuse the row: it is imported as not public.
            row.warn(self.header("is_public"), PUBLIC_WITHOUT_SUMMARY)
            state["is_public"] = row.data["is_public"] = False
        for problem in public_summary_problems(
            state["is_public"],
            state["public_summary"],
            state["reporter_name"],
            state["reporter_phone"],
        ):
            row.refuse(self.header("public_summary"), problem)
        return not row.errors

    def _new_case(self, row, state):
        """The unsaved case for a new row, through ``services.prepare_case``; None if refused."""
        try:
            return prepare_case(
                number=row.data["number"],
                category=self._category_of(row.data),
                grid_id=state["grid_id"],
                village_id=self.grid_region[state["grid_id"]],
                tier=Case.Tier.GRID,
                **{
                    name: state[name]
                    for name, _label in COMPARED
                    if name not in ("category_id", "grid_id")
                },
            )
        except CaseRuleError as exc:
            for field_name, messages in exc.message_dict.items():
                column = self._header_for_field(field_name)
                for message in messages:
                    row.refuse(column, message)
            return None

    def _header_for_field(self, field_name):
        """The column a rule's error belongs to: the field's own; a whole-case error, the number's."""
        key = KEY if field_name == "__all__" else field_name
        if any(col.key == key for col in self.columns):
            return self.header(key)
        return ""

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

    def _create_categories(self):
        """Create the categories the user allowed, each with a unique code."""
        for name in sorted(self.new_categories):
            category = self.new_categories[name]
            digest = hashlib.sha1(name.encode()).hexdigest()
            code = f"imported-{digest[:10]}"
            suffix = 1
            while CaseCategory.objects.filter(code=code).exists():
                suffix += 1
                code = f"imported-{digest[:10]}-{suffix}"
            category.code = code
            category.description = f"导入时新建（{self.file_name}），请核对办理时限"
            category.save()
            self.categories[category.id] = category

    def write(self, new_rows, update_rows, result):
        self.now = timezone.now()
        self._create_categories()
        done, total = 0, len(new_rows) + len(update_rows)
        detail_new = f"批量导入（{self.file_name}），状态：{{}}"
        changed_ids = []
        for chunk in chunked(new_rows):
            cases = []
            for row in chunk:
                case = Case(*row.before)  # as prepare_case built and checked it
                if "new_category" in row.data:
                    case.category = self.new_categories[row.data["new_category"]]
                cases.append(case)
            Case.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                creation_event(
                    case,
                    self.user,
                    imported=True,
                    at=self.now,
                    detail=detail_new.format(case.get_status_display()),
                )
                for case in cases
            )
            changed_ids.extend(case.pk for case in cases)
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
                    category = self._category_of(row.data)
                    if "new_category" in row.data:
                        changes["category_id"] = state["category_id"] = category.id
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
            changed_ids.extend(row.pk for row in chunk)
            done += len(chunk)
            self.progress("写入数据库", done, total)
        # Once for the whole file, inside the transaction: a big import is segmented
        # in the search backend's worker processes instead of a thousand rows at a time.
        self.progress("更新检索索引", 0, len(changed_ids))
        indexing.cases_changed(changed_ids)
