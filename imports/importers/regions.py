"""Region registers (行政区划): a county that wants its tree before its grids.

Columns: 区划代码 (6-digit county, 9-digit town or 12-digit statistical code;
stored as 12 digits), 名称, 层级 (inferred from the code when blank), 上级代码 or
上级名称 (inferred from the code when blank), 生效日期, 失效日期. Upsert on the
code; a region already in the tree without a code (e.g. made by a grid import
from a name) is matched by name under its parent and gets the code.

The statistical codes carry the tree, so the importer checks them against
each other: a town's code is its county's 6 digits + 3, a village's its
town's 9 + 3; a parent must be in the file or in the tree. The tree has one
root: a second county is refused. Moving a region to another parent is
refused (edit it in 行政区划, where the change is visible), and so is creating
outside the user's scope; creating a county takes an unrestricted user
(superuser or the command line).
"""

from portal.snippets.models import Region

from ..cleaning import CellError, clean_code, clean_date, clean_name
from ..table import Column
from .base import NEW, UNCHANGED, UPDATE, BaseImporter
from .lookups import Scope, in_chunks

Level = Region.Level
LEVEL_ORDER = {Level.COUNTY: 0, Level.TOWN: 1, Level.VILLAGE: 2}
LEVEL_ALIASES = {
    "区县": Level.COUNTY, "县": Level.COUNTY, "区": Level.COUNTY, "县区": Level.COUNTY,
    "县级": Level.COUNTY, "county": Level.COUNTY,
    "乡镇": Level.TOWN, "街道": Level.TOWN, "乡镇街道": Level.TOWN, "乡镇/街道": Level.TOWN,
    "乡镇（街道）": Level.TOWN, "乡": Level.TOWN, "镇": Level.TOWN, "乡级": Level.TOWN,
    "town": Level.TOWN,
    "村": Level.VILLAGE, "社区": Level.VILLAGE, "村社区": Level.VILLAGE, "村/社区": Level.VILLAGE,
    "村（社区）": Level.VILLAGE, "村委会": Level.VILLAGE, "居委会": Level.VILLAGE,
    "村级": Level.VILLAGE, "village": Level.VILLAGE,
}  # fmt: skip


def clean_region_code(value):
    """6, 9 or 12 digits → the 12-digit statistical code."""
    code = clean_code(value)
    if len(code) == 6:
        return code + "000000"
    if len(code) == 9:
        return code + "000"
    if len(code) != 12:
        raise CellError(
            f"区划代码应为6位（区县）、9位（乡镇街道）或12位（统计用区划代码），“{code}”为{len(code)}位"
        )
    return code


def clean_level(value):
    text = "".join(str(value).split())
    level = LEVEL_ALIASES.get(text) or LEVEL_ALIASES.get(text.lower())
    if level is None:
        raise CellError(f"层级“{text}”无法识别，可填写：区县、乡镇（街道）、村（社区）")
    return level


def level_of_code(code):
    if code.endswith("000000"):
        return Level.COUNTY
    if code.endswith("000"):
        return Level.TOWN
    return Level.VILLAGE


def parent_code_of(code, level):
    if level == Level.TOWN:
        return code[:6] + "000000"
    if level == Level.VILLAGE:
        return code[:9] + "000"
    return ""


def short_code(code):
    """The code as people write it: 6 digits for a county, 9 for a town, 12 for a village."""
    level = level_of_code(code)
    return code[:6] if level == Level.COUNTY else code[:9] if level == Level.TOWN else code


COLUMNS = [
    Column("seq", "序号", ignored=True),
    Column(
        "code",
        "区划代码",
        clean_region_code,
        synonyms=("行政区划代码", "统计用区划代码", "代码", "编码", "区划编码"),
        required=True,
        help="区县6位、乡镇（街道）9位、村（社区）12位统计用区划代码",
        example="411502001001",
    ),
    Column(
        "name",
        "名称",
        clean_name,
        synonyms=("区划名称", "单位名称"),
        required=True,
        example="五星社区",
    ),  # fmt: skip
    Column(
        "level",
        "层级",
        clean_level,
        synonyms=("级别", "区划级别", "类型", "区划类型"),
        help="区县、乡镇（街道）或村（社区）；不填时按区划代码判断",
        example="村（社区）",
    ),
    Column(
        "parent_code",
        "上级代码",
        clean_region_code,
        synonyms=("上级区划代码", "上级编码"),
        help="不填时按区划代码判断（村为前9位，乡镇为前6位）",
        example="411502001",
    ),
    Column(
        "parent_name",
        "上级名称",
        clean_name,
        synonyms=("上级区划", "上级区划名称", "所属乡镇（街道）", "所属区县"),
        help="可不填；填写时须与上级代码所指的区划名称一致",
        example="五星街道",
    ),
    Column("effective_from", "生效日期", clean_date, synonyms=("启用日期", "设立日期")),
    Column(
        "effective_until",
        "失效日期",
        clean_date,
        synonyms=("撤销日期", "停用日期", "撤并日期"),
        help="撤并后停止使用的日期",
    ),
]

COMPARED = [("name", "名称"), ("effective_from", "生效日期"), ("effective_until", "失效日期")]


class RegionImporter(BaseImporter):
    kind = "regions"
    columns = COLUMNS
    key_column = "code"

    def check_row(self, row):
        data = row.data
        code = data.get("code")
        if not code:
            return
        implied = level_of_code(code)
        level = data.setdefault("level", implied)
        if level != implied:
            row.refuse(
                self.header("level"),
                f"区划代码 {short_code(code)} 是{Level(implied).label}代码，与层级“{Level(level).label}”不一致",
            )
            return
        expected_parent = parent_code_of(code, level)
        given = data.get("parent_code")
        if level == Level.COUNTY and given:
            row.refuse(self.header("parent_code"), "区县是最上级区划，不能填写上级代码")
        elif given and given != expected_parent:
            row.refuse(
                self.header("parent_code"),
                f"上级代码应为 {short_code(expected_parent)}（区划代码的前{9 if level == Level.VILLAGE else 6}位），"
                f"填写的是 {short_code(given)}",
            )
        data["parent_code"] = expected_parent
        start, end = data.get("effective_from"), data.get("effective_until")
        if start and end and end <= start:
            row.refuse(self.header("effective_until"), "失效日期必须晚于生效日期")

    def describe(self, row):
        level = row.data.get("level")
        return {
            "区划代码": short_code(row.data["code"]) if row.data.get("code") else "",
            "名称": row.data.get("name", ""),
            "层级": Level(level).label if level else "",
        }

    def resolve(self, rows, result):
        scope = Scope(self.user)
        codes = {row.data["code"] for row in rows if row.data.get("code")}
        codes |= {row.data["parent_code"] for row in rows if row.data.get("parent_code")}
        fields = ("id", "code", "name", "level", "parent_id", "effective_from", "effective_until")
        by_code = {}
        for chunk in in_chunks(codes):
            for values in Region.objects.filter(code__in=chunk).values(*fields):
                by_code.setdefault(values["code"], values)
        in_file = {row.data["code"]: row for row in rows if row.data.get("code") and not row.errors}
        roots = list(Region.objects.filter(parent__isnull=True).values("id", "code", "name"))
        code_header, name_header = self.header("code"), self.header("name")
        parent_header = self.header("parent_code")
        self.plans = []
        for row in sorted(rows, key=lambda r: LEVEL_ORDER.get(r.data.get("level"), 9)):
            if row.errors:
                continue
            data = row.data
            code, level = data["code"], data["level"]
            parent_id, parent_name = None, ""
            if level != Level.COUNTY:
                parent = by_code.get(data["parent_code"])
                parent_row = in_file.get(data["parent_code"])
                if parent is not None:
                    parent_id, parent_name = parent["id"], parent["name"]
                elif parent_row is not None and not parent_row.errors:
                    parent_name = parent_row.data["name"]
                elif parent_row is not None:
                    row.refuse(
                        parent_header,
                        f"上级区划（代码 {short_code(data['parent_code'])}，第 {parent_row.number} 行）有错误，"
                        "请先改正该行",
                    )
                    continue
                else:
                    what = "区县" if level == Level.TOWN else "乡镇（街道）"
                    row.refuse(
                        parent_header,
                        f"上级{what}（代码 {short_code(data['parent_code'])}）不在系统中，也不在本表中，"
                        "请先导入或在表中列出",
                    )
                    continue
                if data.get("parent_name") and data["parent_name"] != parent_name:
                    row.refuse(
                        self.header("parent_name"),
                        f"上级名称“{data['parent_name']}”与上级代码 {short_code(data['parent_code'])} "
                        f"所指的“{parent_name}”不一致",
                    )
                    continue
            before = by_code.get(code)
            if before is None and parent_id is not None:
                before = (
                    Region.objects.filter(parent_id=parent_id, name=data["name"])
                    .values(*fields)
                    .first()
                )
                if before is not None and before["code"] and before["code"] != code:
                    row.refuse(
                        name_header,
                        f"“{parent_name}”下已有“{data['name']}”，区划代码为 {short_code(before['code'])}，"
                        f"与填写的 {short_code(code)} 不一致",
                    )
                    continue
            if before is None:
                if level == Level.COUNTY:
                    other = [r for r in roots if r["code"] != code]
                    if other:
                        row.refuse(
                            code_header,
                            f"系统中已有最上级区划“{other[0]['name']}”，一个门户只有一个区县，"
                            f"不能再新建“{data['name']}”",
                        )
                        continue
                    if not scope.unrestricted:
                        row.refuse(code_header, "只有系统管理员可以新建区县")
                        continue
                    roots.append({"id": None, "code": code, "name": data["name"]})
                elif parent_id is not None and not scope.allows(parent_id):
                    row.refuse(
                        code_header, f"“{parent_name}”不在您的管辖范围内，不能在其下新建区划"
                    )
                    continue
                elif parent_id is None and not scope.unrestricted:
                    row.refuse(code_header, "上级区划也是本表新建的，只有系统管理员可以这样导入")
                    continue
                row.outcome = NEW
                result.new_regions.append(
                    {"name": data["name"], "level": Level(level).label,
                     "parent": parent_name or "（最上级）", "code": short_code(code)}
                )  # fmt: skip
                continue
            row.pk = before["id"]
            if not scope.allows(before["id"]):
                row.refuse(code_header, "该区划不在您的管辖范围内，不能修改")
                continue
            if before["level"] != level:
                row.refuse(
                    self.header("level"),
                    f"“{before['name']}”在系统中是{Level(before['level']).label}，不能通过导入改为{Level(level).label}",
                )
                continue
            if before["parent_id"] != parent_id:
                row.refuse(
                    parent_header,
                    f"“{before['name']}”在系统中属于另一上级区划；更改上级区划请在“行政区划”中修改",
                )
                continue
            changes = {
                name: data.get(name)
                for name, _label in COMPARED
                if name in data and data[name] != before[name]
            }
            if not before["code"]:
                changes["code"] = code
            if changes:
                row.outcome, row.before = UPDATE, changes
                row.changes = tuple(
                    label for name, label in [*COMPARED, ("code", "区划代码")] if name in changes
                )
            else:
                row.outcome = UNCHANGED

    def write(self, new_rows, update_rows, result):
        ids = dict(
            Region.objects.filter(
                code__in=[r.data["parent_code"] for r in new_rows if r.data["parent_code"]]
            ).values_list("code", "id")
        )
        done, total = 0, len(new_rows) + len(update_rows)
        for row in sorted(new_rows, key=lambda r: LEVEL_ORDER[r.data["level"]]):
            data = row.data
            region = Region.objects.create(
                code=data["code"],
                name=data["name"],
                level=data["level"],
                parent_id=ids.get(data["parent_code"]) if data["parent_code"] else None,
                effective_from=data.get("effective_from"),
                effective_until=data.get("effective_until"),
            )
            ids[region.code] = region.pk
            row.pk = region.pk
            done += 1
        for row in update_rows:
            Region.objects.filter(pk=row.pk).update(**row.before)
            done += 1
        self.progress("写入数据库", done, total)
