"""Care-object rosters (关爱对象名册): upsert on the ID number.

Natural key: the keyed hash of the ID number (``CareObject.id_number_hash``),
validated by GB 11643 (``cleaning.clean_id_number``, the volunteers' validator)
and sealed by ``portal.care.services.seal_id_number`` — the admin form's helper.
A number registered in another region is refused with the message every
unavailable number gets (no existence oracle). A blank cell never clears what
is stored; a filled one replaces it. New objects are registered now: their
first visit falls due one cadence later (``portal.care.services``).
"""

from django.utils import timezone

from portal.care.models import CareKind, CareObject
from portal.care.services import seal_id_number
from portal.snippets.pii import hash_id_number, mask_id_number

from ..cleaning import (
    choice_cleaner,
    clean_bool,
    clean_name,
    clean_text,
)
from ..table import Column
from .base import BaseImporter, chunked
from .existing_rows import classify_rows, compare_plan
from .gridref import clean_grid_cell
from .lookups import LOOKUP_CHUNK, Scope, rows_with_grids
from .person_columns import id_number_column, phone_column

KIND_ALIASES = {
    "独居": "alone_elderly",
    "独居老年人": "alone_elderly",
    "空巢": "empty_nest",
    "空巢老年人": "empty_nest",
    "留守": "left_behind_child",
    "农村留守儿童": "left_behind_child",
    "残疾": "disabled",
    "残障人士": "disabled",
    "困难户": "hardship",
    "困难群众": "hardship",
    "低保户": "hardship",
    "特困户": "hardship",
}
clean_kind = choice_cleaner(CareKind.choices, "对象类别", KIND_ALIASES)

COLUMNS = [
    Column("seq", "序号", ignored=True, synonyms=("编号",)),
    Column("name", "姓名", clean_name, required=True, example="张三"),
    Column(
        "kind",
        "对象类别",
        clean_kind,
        synonyms=("类别", "对象类型", "类型", "关爱类别"),
        required=True,
        help="独居老人、空巢老人、留守儿童、残疾人、困难家庭或其他",
        example="独居老人",
    ),
    id_number_column(),
    phone_column("联系电话"),
    Column(
        "address",
        "居住地址",
        clean_text,
        synonyms=("地址", "住址", "家庭住址", "现住址"),
        example="东湖路18号3单元201",
    ),
    Column(
        "grid",
        "所属网格",
        clean_grid_cell,
        synonyms=("所属网格编码", "网格编码", "网格"),
        required=True,
        help="填写网格编码，或从下拉列表选择“网格名称（网格编码）”",
    ),
    Column(
        "notes",
        "需求与情况",
        clean_text,
        synonyms=("需求", "情况说明", "备注", "主要需求"),
        example="行动不便，需定期送药",
    ),
    Column("active", "在册", clean_bool, synonyms=("是否在册",), help="不填视为在册", example="是"),
]

# model field → (column key, label) compared for care objects already registered
COMPARED = [
    ("name", "name", "姓名"),
    ("kind", "kind", "对象类别"),
    ("phone", "phone", "联系电话"),
    ("address", "address", "居住地址"),
    ("grid_id", "grid_id", "所属网格"),
    ("notes", "notes", "需求与情况"),
    ("active", "active", "在册"),
]
COMPARE_PLAN = compare_plan(COMPARED)
MAX_LENGTHS = {"name": 50, "address": 200}


class CareObjectImporter(BaseImporter):
    kind = "care_objects"
    columns = COLUMNS
    key_column = "id_number"

    def check_row(self, row):
        data = row.data
        for key, limit in MAX_LENGTHS.items():
            if len(data.get(key) or "") > limit:
                row.refuse(self.header(key), f"{self.header(key)}不能超过{limit}个字")
        number = data.get("id_number")
        if number:
            data["id_hash"] = hash_id_number(number)

    def describe(self, row):
        number = row.data.get("id_number")
        kind = row.data.get("kind")
        return {
            "姓名": row.data.get("name", ""),
            "对象类别": CareKind(kind).label if kind else "",
            "身份证号": mask_id_number(number) if number else "",
            "所属网格": row.data.get("grid", ""),
        }

    def resolve(self, rows, result):
        scope = Scope(self.user)
        for row, grid in rows_with_grids(self, rows, scope):
            row.data["grid_id"] = grid.id
        pending = [row for row in rows if not row.errors]
        for start in range(0, len(pending), LOOKUP_CHUNK):
            self._classify(pending[start : start + LOOKUP_CHUNK], scope)
            self.progress("比对已有数据", min(start + LOOKUP_CHUNK, len(pending)), len(pending))

    def _classify(self, rows, scope):
        fields = ["id", "id_number_hash"] + [f for f, _k, _l in COMPARED] + ["grid__region_id"]
        existing = {
            values[1]: values
            for values in CareObject.objects.filter(
                id_number_hash__in=[row.data["id_hash"] for row in rows]
            ).values_list(*fields)
        }
        classify_rows(self, rows, existing, scope, CareObject, COMPARE_PLAN)

    def write(self, new_rows, update_rows, result):
        done, total = 0, len(new_rows) + len(update_rows)
        now = timezone.now()
        for chunk in chunked(new_rows):
            objects = []
            for row in chunk:
                data = row.data
                care_object = CareObject(
                    grid_id=data["grid_id"],
                    kind=data["kind"],
                    name=data["name"],
                    phone=data.get("phone", ""),
                    address=data.get("address", ""),
                    notes=data.get("notes", ""),
                    active=data.get("active", True),
                    created_at=now,
                )
                # Validated in clean (GB 11643); sealed the way the admin form seals it.
                objects.append(seal_id_number(care_object, data["id_number"]))
            CareObject.objects.bulk_create(objects)
            for row, care_object in zip(chunk, objects, strict=True):
                row.pk = care_object.pk
            done += len(chunk)
            self.progress("写入数据库", done, total)
        for chunk in chunked(update_rows):
            groups = {}
            for row in chunk:
                groups.setdefault(tuple(sorted(row.before)), []).append(
                    CareObject(pk=row.pk, updated_at=now, **row.before)
                )
            for fields, objects in groups.items():
                CareObject.objects.bulk_update(objects, [*fields, "updated_at"])
            done += len(chunk)
            self.progress("写入数据库", done, total)
