"""Volunteer service records (志愿服务记录): the true records a certificate rests on.

One row is one activity: the volunteer (ID number or mobile number), the date,
the hours, the activity and who verified it. Natural key: (volunteer, date,
activity) — a record already stored is not imported twice; one whose hours or
verifier differ is updated. Each record goes through the model's own rules
(``ServiceRecord.clean``: 0 < hours ≤ 24, not in the future), so the admin and
the importer refuse the same records. The certificate of service
(``portal.snippets.certificates``) and the volunteer totals
(``portal.snippets.volunteering``) are computed from these records.
"""

from django.core.exceptions import ValidationError

from portal.snippets.models import ServiceRecord

from ..cleaning import clean_date, clean_hours, clean_name, clean_text
from ..table import Column
from .base import NEW, BaseImporter, chunked, insert_rows
from .lookups import Scope, in_chunks
from .volunteer_refs import VOLUNTEER_COLUMNS, VolunteerRefs, describe_volunteer

COLUMNS = [
    Column("seq", "序号", ignored=True),
    *VOLUNTEER_COLUMNS,
    Column(
        "date",
        "服务日期",
        clean_date,
        synonyms=("日期", "活动日期", "服务时间"),
        required=True,
        example="2025-03-01",
    ),
    Column(
        "hours",
        "服务时长（小时）",
        clean_hours,
        synonyms=("服务时长", "时长", "时长（小时）", "服务小时数"),
        required=True,
        help="大于0且不超过24小时",
        example="2.5",
    ),
    Column(
        "activity",
        "服务活动",
        clean_text,
        synonyms=("活动名称", "服务内容", "服务项目", "活动"),
        required=True,
        example="社区环境整治",
    ),
    Column(
        "verifier",
        "核实人",
        clean_name,
        synonyms=("审核人", "证明人", "记录人"),
        required=True,
        example="李主任",
    ),
]
MODEL_FIELDS = {"date": "date", "hours": "hours", "activity": "activity", "verifier": "verifier"}


class ServiceRecordImporter(BaseImporter):
    kind = "services"
    label = "志愿服务记录"
    columns = COLUMNS
    key_column = "date"

    def natural_key(self, row):
        return None  # the volunteer is known only after ``resolve``; see ``_check_duplicates``

    def check_row(self, row):
        data = row.data
        if not (data.get("id_number") or data.get("phone")):
            row.refuse(self.header("id_number"), "请填写志愿者的身份证号或手机号码")
            return
        if "date" in data and "hours" in data and "activity" in data:
            record = ServiceRecord(
                date=data["date"],
                hours=data["hours"],
                activity=data["activity"],
                verifier=data.get("verifier") or "",
            )
            try:
                record.clean()
                record.clean_fields(exclude=["volunteer", "team"])
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    key = MODEL_FIELDS.get(field_name, "activity")
                    for message in messages:
                        row.refuse(self.header(key), message)

    def describe(self, row):
        return {
            **describe_volunteer(row),
            "服务日期": str(row.data.get("date", "")),
            "时长": str(row.data.get("hours", "")),
            "服务活动": row.data.get("activity", ""),
        }

    def resolve(self, rows, result):
        scope = Scope(self.user)
        pending = [row for row in rows if not row.errors]
        VolunteerRefs(self, scope).resolve(pending)
        pending = [row for row in pending if not row.errors]
        self._check_duplicates(pending)
        pending = [row for row in pending if not row.errors]
        existing = {}
        for chunk in in_chunks({row.data["volunteer_id"] for row in pending}):
            for pk, volunteer_id, day, activity, hours, verifier in ServiceRecord.objects.filter(
                volunteer_id__in=chunk
            ).values_list("id", "volunteer_id", "date", "activity", "hours", "verifier"):
                existing.setdefault((volunteer_id, day, activity), (pk, hours, verifier))
        for row in pending:
            before = existing.get(self._key(row))
            if before is None:
                row.outcome = NEW
                continue
            row.pk, hours, verifier = before
            changes = {}
            if row.data["hours"] != hours:
                changes["hours"] = row.data["hours"]
            if row.data["verifier"] != verifier:
                changes["verifier"] = row.data["verifier"]
            labels = {"hours": "服务时长", "verifier": "核实人"}
            row.settle([labels[name] for name in changes], changes)

    @staticmethod
    def _key(row):
        return (row.data["volunteer_id"], row.data["date"], row.data["activity"])

    def _check_duplicates(self, rows):
        seen = {}
        for row in rows:
            seen.setdefault(self._key(row), []).append(row)
        for group in seen.values():
            if len(group) > 1:
                first = group[0].number
                for row in group[1:]:
                    row.refuse(
                        self.header("activity"),
                        f"与第 {first} 行是同一志愿者、同一日期、同一活动的记录，同一文件中不能出现两次",
                    )

    def write(self, new_rows, update_rows, result):
        total = len(new_rows) + len(update_rows)
        insert_rows(
            ServiceRecord,
            ("volunteer", "date", "hours", "activity", "verifier"),
            [
                (
                    row.data["volunteer_id"],
                    row.data["date"],
                    row.data["hours"],
                    row.data["activity"],
                    row.data["verifier"],
                )
                for row in new_rows
            ],
        )
        self.progress("写入数据库", len(new_rows), total)
        for chunk in chunked(update_rows):
            groups = {}
            for row in chunk:
                groups.setdefault(tuple(sorted(row.before)), []).append(
                    ServiceRecord(pk=row.pk, **row.before)
                )
            for fields, objects in groups.items():
                ServiceRecord.objects.bulk_update(objects, fields)
        self.progress("写入数据库", total, total)
