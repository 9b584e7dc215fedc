"""Finding the volunteer a ledger row (service record, points entry) belongs to.

A row names its volunteer by ID number (found by its keyed hash) or by mobile
number (only among the user's volunteers, and only if one volunteer has it).
A volunteer outside the user's regions gets exactly the answer a number that
is not registered at all gets — the user must not learn that the person
exists elsewhere (issue 10) — and the attempt is logged.
"""

from portal.snippets.models import Volunteer
from portal.snippets.pii import hash_id_number, mask_id_number

from ..cleaning import clean_name
from ..table import Column
from .base import refuse_out_of_scope
from .lookups import in_chunks
from .person_columns import AS_TEXT, id_number_column, phone_column

NOT_FOUND_BY_ID = "未在您的管辖范围内找到该身份证号的志愿者，请核对，或先登记该志愿者"
NOT_FOUND_BY_PHONE = "未在您的管辖范围内找到使用该手机号码的志愿者，请核对，或改填身份证号"
PHONE_SHARED = "您的管辖范围内有多名志愿者使用该手机号码，请改填身份证号"
NO_VOLUNTEER = "请填写志愿者的身份证号或手机号码"

VOLUNTEER_COLUMNS = [
    Column("name", "姓名", clean_name, synonyms=("志愿者姓名",), help="用于核对，可不填"),
    id_number_column(required=False, help=f"身份证号与手机号码至少填一项；{AS_TEXT}"),
    phone_column("手机号码", help="未填身份证号时按手机号码查找志愿者", example=""),
]


class VolunteerRefs:
    """Resolves ``row.data["volunteer_id"]`` for the rows of one file, in chunked queries."""

    def __init__(self, importer, scope):
        self.importer = importer
        self.scope = scope

    def resolve(self, rows):
        importer = self.importer
        id_header = importer.header("id_number")
        phone_header = importer.header("phone")
        hashes = {}
        for row in rows:
            number = row.data.get("id_number")
            if number:
                row.data["id_hash"] = hashes.setdefault(number, hash_id_number(number))
        by_hash = {}
        for chunk in in_chunks(set(hashes.values())):
            for pk, digest, region_id, name in Volunteer.objects.filter(
                id_number_hash__in=chunk
            ).values_list("id", "id_number_hash", "grid__region_id", "name"):
                by_hash[digest] = (pk, region_id, name)
        phones = {
            row.data["phone"] for row in rows if "phone" in row.data and "id_hash" not in row.data
        }
        by_phone = {}
        for chunk in in_chunks(phones):
            queryset = Volunteer.objects.filter(phone__in=chunk)
            if not self.scope.unrestricted:
                queryset = queryset.filter(grid__region_id__in=self.scope.region_ids)
            for pk, phone, name in queryset.values_list("id", "phone", "name"):
                by_phone.setdefault(phone, []).append((pk, name))
        for row in rows:
            data = row.data
            if "id_hash" in data:
                found = by_hash.get(data["id_hash"])
                if found is None:
                    row.refuse(id_header, NOT_FOUND_BY_ID)
                    continue
                pk, region_id, name = found
                if not self.scope.allows(region_id):
                    # Logged; worded as if the number were not registered at all.
                    refuse_out_of_scope(importer, row, id_header, NOT_FOUND_BY_ID, Volunteer, pk)
                    continue
            elif "phone" in data:
                found = by_phone.get(data["phone"], [])
                if not found:
                    row.refuse(phone_header, NOT_FOUND_BY_PHONE)
                    continue
                if len(found) > 1:
                    row.refuse(phone_header, PHONE_SHARED)
                    continue
                pk, name = found[0]
            else:
                row.refuse(id_header, NO_VOLUNTEER)
                continue
            given = data.get("name")
            if given and given != name:
                row.refuse(importer.header("name"), f"姓名“{given}”与登记的志愿者不一致，请核对")
                continue
            data["volunteer_id"] = pk
            data["volunteer_name"] = name


def describe_volunteer(row):
    number = row.data.get("id_number")
    return {
        "志愿者": row.data.get("volunteer_name") or row.data.get("name", ""),
        "身份证号": mask_id_number(number) if number else "",
    }
