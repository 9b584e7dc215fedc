"""Grid registers (网格台账): upsert on the grid code, with the staff on each grid's board.

Regions: a sheet names the town (乡镇/街道) and village (村/社区) of each grid by
name. Names that do not exist yet are created under the site's county (the
root region) and listed as new in the preview — but only where the user's
scope allows: creating a town takes a county-wide user (county admins,
superusers, the command line); a town admin may create villages in their own
town only. A village that has been merged away (失效日期 passed) is refused.
New towns take the first 9 digits of their grids' codes (+ "000"), new
villages the first 12.

An empty install (no region at all) does not dead-end: for an unrestricted
user (superuser, command line) the preview proposes the county from the sheet
itself — its code from the grid codes' 6-digit prefix, its name from the title
row or the 填报单位 line ("浉河区网格基础信息台账" → 浉河区), else a provisional
name flagged in the preview — and creates it, with the towns and villages, on
confirmation, through the same ``portal.setup.ensure_root_region`` as the
first-run set-up. Other users are refused as before.

Moving an existing grid to another village is one of the changes that need the
town admins' approval (see ``portal.snippets.models.workflow``), so the
importer refuses it and points to the grid editor instead of going around the
workflow. New grids are created live: only users who may approve grid changes
in their scope can import them.

Staff (see ``boards``): every role on the board has a names column (names
separated by 、) and a phones column in the same order — 网格长/网格长电话,
专职网格员/专职网格员电话, 兼职网格员/兼职网格员电话, 网格指导员/网格指导员电话.
A filled names cell makes that role on the board match it; a blank cell leaves
it alone. One row per person is the separate ``grid_staff`` import.
"""

import re
from collections import Counter

from django.db import IntegrityError
from django.utils import timezone

from portal.snippets.models import Grid, GridStaff, Region

from ..cleaning import (
    CellError,
    choice_cleaner,
    clean_code,
    clean_count,
    clean_name,
    clean_name_list,
    clean_phone,
    clean_text,
)
from ..safety import FileRefused
from ..table import Column
from .base import NEW, BaseImporter, RowError, chunked
from .boards import ROLE_SPECS, board_changes, load_boards, write_boards
from .lookups import Scope, in_chunks
from .sheet_titles import county_name_from_texts, texts_above_header

clean_grid_type = choice_cleaner(
    Grid.GridType.choices,
    "网格类型",
    {"城市": "urban", "城镇": "urban", "城镇网格": "urban", "社区网格": "urban", "农村": "rural",
     "村": "rural", "专属": "special", "专属网格": "special"},
)  # fmt: skip


_PHONE_SPLIT_RE = re.compile(r"[、，,；;/\n]+")
_NO_PHONE = {"无", "-", "—", "/", "暂无"}


def clean_phone_list(value):
    """Work phones in the order of the names beside them; "无" keeps a place for one without."""
    if isinstance(value, (int, float)):
        return (clean_phone(value),)
    parts = [part.strip() for part in _PHONE_SPLIT_RE.split(str(value))]
    return tuple("" if part in _NO_PHONE else clean_phone(part) for part in parts if part)


def clean_grid_code(value):
    code = clean_code(value)
    if not 6 <= len(code) <= 20:
        raise CellError(f"网格编码应为6到20位数字，“{code}”为{len(code)}位")
    return code


COLUMNS = [
    Column("seq", "序号", ignored=True),
    Column(
        "code",
        "网格编码",
        clean_grid_code,
        synonyms=("网格代码", "网格统一编码", "统一编码", "编码"),
        required=True,
        help="村（社区）12位统计用区划代码加3位顺序号",
        example="411523001001001",
    ),
    Column(
        "name", "网格名称", clean_text, synonyms=("网格名",), required=True, example="东湖第一网格"
    ),
    Column(
        "town",
        "所属乡镇（街道）",
        clean_name,
        synonyms=(
            "所属乡镇",
            "所属街道",
            "乡镇（街道）",
            "乡镇街道",
            "街道（乡镇）",
            "所属街道（乡镇）",
            "乡镇",
            "街道",
        ),
        required=True,
        example="青石街道",
    ),  # fmt: skip
    Column(
        "village",
        "所属村（社区）",
        clean_name,
        synonyms=(
            "所属村",
            "所属社区",
            "村（社区）",
            "村社区",
            "所属村（居）",
            "村（居）",
            "社区（村）",
            "所属社区（村）",
            "村",
            "社区",
        ),
        required=True,
        example="东湖社区",
    ),  # fmt: skip
    Column(
        "grid_type",
        "网格类型",
        clean_grid_type,
        help="不填时按村（社区）名称判断：村为农村网格，其余为城市网格",
        example="城市网格",
    ),
    Column("households", "户数", clean_count, synonyms=("户", "总户数"), example=420),
    Column(
        "population", "人口数", clean_count, synonyms=("人口", "人数", "常住人口"), example=1050
    ),
    Column("leader", "网格长", clean_name, synonyms=("网格长姓名",), example="李明"),
    Column(
        "leader_phone",
        "网格长电话",
        clean_phone,
        synonyms=("网格长联系电话", "网格长手机", "网格长手机号码", "网格长电话号码"),
        example="13900139000",
    ),
    Column(
        "workers",
        "专职网格员",
        clean_name_list,
        synonyms=("专职网格员姓名", "网格员"),
        help="多人用顿号（、）分隔",
        example="王芳、赵强",
    ),
    Column(
        "worker_phones",
        "专职网格员电话",
        clean_phone_list,
        synonyms=("专职网格员联系电话", "专职网格员手机", "网格员电话", "网格员联系电话"),
        help="与专职网格员姓名顺序一一对应，用顿号（、）分隔；某人没有工作电话可填“无”",
        example="13900139001、13900139002",
    ),
    Column(
        "part_timers",
        "兼职网格员",
        clean_name_list,
        synonyms=("兼职网格员姓名",),
        help="多人用顿号（、）分隔",
        example="孙丽",
    ),
    Column(
        "part_timer_phones",
        "兼职网格员电话",
        clean_phone_list,
        synonyms=("兼职网格员联系电话", "兼职网格员手机"),
        help="与兼职网格员姓名顺序一一对应",
        example="13900139003",
    ),
    Column(
        "instructors",
        "网格指导员",
        clean_name_list,
        synonyms=("网格指导员姓名", "指导员"),
        help="多人用顿号（、）分隔；一名指导员可负责多个网格",
        example="周建国",
    ),
    Column(
        "instructor_phones",
        "网格指导员电话",
        clean_phone_list,
        synonyms=("网格指导员联系电话", "网格指导员手机", "指导员电话"),
        help="与网格指导员姓名顺序一一对应",
        example="0376-6201234",
    ),
    Column(
        "coverage",
        "覆盖范围",
        clean_text,
        synonyms=("网格范围", "管辖范围", "所辖范围", "覆盖区域", "包含小区", "包含楼栋", "包含组"),
        example="幸福小区1-6栋、建设路东段",
    ),
    Column("notes", "备注", clean_text),
]

COMPARED = [
    ("name", "网格名称"),
    ("grid_type", "网格类型"),
    ("households", "户数"),
    ("population", "人口数"),
    ("coverage", "覆盖范围"),
    ("notes", "备注"),
]

Role = GridStaff.Role

# The name a county proposed from a sheet without a title gets; the preview says so.
PROVISIONAL_COUNTY = "待命名区县{code}"


def town_code_from(grid_code):
    return grid_code[:9] + "000" if len(grid_code) >= 12 else ""


def village_code_from(grid_code):
    return grid_code[:12] if len(grid_code) >= 12 else ""


class GridImporter(BaseImporter):
    kind = "grids"
    columns = COLUMNS
    key_column = "code"

    def run(self, path, file_name=None):
        self._path = path
        return super().run(path, file_name)

    def check_row(self, row):
        """Each role's names and phones: as many phones as names, in the same order."""
        data = row.data
        board = {}
        for spec in ROLE_SPECS:
            names = data.get(spec.names_key)
            phones = data.get(spec.phones_key)
            if isinstance(names, str):
                names = (names,)
            if isinstance(phones, str):
                phones = (phones,)
            if phones and not names:
                row.refuse(
                    self.header(spec.phones_key),
                    f"填写了{spec.label}电话，但没有填写{spec.label}姓名",
                )
                continue
            if not names:
                continue
            if phones and len(phones) != len(names):
                row.refuse(
                    self.header(spec.phones_key),
                    f"填写了{len(phones)}个电话，但“{self.header(spec.names_key)}”有{len(names)}人"
                    f"（{'、'.join(names)}），请按姓名顺序一一对应填写，没有电话的填“无”",
                )
                continue
            board[spec.role] = [
                (name, (phones[i] or None) if phones else None) for i, name in enumerate(names)
            ]
        if board:
            data["board"] = board

    def describe(self, row):
        return {
            "网格编码": row.data.get("code", ""),
            "网格名称": row.data.get("name", ""),
            "所属村（社区）": f"{row.data.get('town', '')} {row.data.get('village', '')}".strip(),
        }

    # --- regions -----------------------------------------------------------------------

    def _root(self):
        roots = list(Region.objects.filter(parent__isnull=True, level=Region.Level.COUNTY)[:2])
        return roots[0] if len(roots) == 1 else None

    def _propose_county(self, rows, result):
        """On an empty tree: the county the sheet is about, as ``(name, 6-digit code)`` or None."""
        from portal.setup import SetupError, clean_region_name, county_code

        prefixes = Counter(
            row.data["code"][:6] for row in rows if len(row.data.get("code") or "") >= 12
        )
        if not prefixes:
            return None
        prefix, _count = prefixes.most_common(1)[0]
        try:
            county_code(prefix)
        except SetupError:
            return None
        code_header = self.header("code")
        for row in rows:
            code = row.data.get("code") or ""
            if code and code[:6] != prefix:
                row.refuse(
                    code_header,
                    f"网格编码前6位“{code[:6]}”与本表其他网格的区县代码“{prefix}”不一致，"
                    "一个门户只有一个区县",
                )
        path = getattr(self, "_path", None)
        texts = (
            texts_above_header(path, self.file_name, self.limits, self.table.header.row_number)
            if path is not None and self.table is not None
            else []
        )
        name = county_name_from_texts(texts)
        try:
            name = clean_region_name(name) if name else ""
        except SetupError:
            name = ""
        if not name:
            name = PROVISIONAL_COUNTY.format(code=prefix)
            result.warnings.append(
                RowError(
                    None,
                    "",
                    f"表格标题中没有找到区县名称，将新建的区县（代码 {prefix}）暂定名为“{name}”。"
                    "导入后请在“行政区划”中改为正式名称，或先在“首次设置”中填写区县名称再导入",
                )
            )
        return name, prefix

    def _resolve_regions(self, rows, scope, result):
        today = timezone.localdate()
        root = self._root()
        self.new_county = None
        if root is None and scope.unrestricted and not Region.objects.exists():
            self.new_county = self._propose_county(rows, result)
        town_names = {row.data["town"] for row in rows if row.data.get("town")}
        towns = {}
        for region in Region.objects.filter(level=Region.Level.TOWN, name__in=town_names):
            towns.setdefault(region.name, []).append(region)
        villages = {}
        town_ids = [region.id for group in towns.values() for region in group]
        for region in Region.objects.filter(level=Region.Level.VILLAGE, parent_id__in=town_ids):
            villages[(region.parent_id, region.name)] = region
        may_create_town = (
            scope.unrestricted
            or (root is not None and scope.allows(root.id))
            or self.new_county is not None
        )

        self.new_towns = {}  # name → first row number
        self.new_villages = {}  # (town name, village name) → first row number
        town_header, village_header = self.header("town"), self.header("village")
        for row in rows:
            town_name, village_name = row.data.get("town"), row.data.get("village")
            if not town_name or not village_name:
                continue
            if self.new_county is not None and row.errors:
                continue
            candidates = towns.get(town_name, [])
            if len(candidates) > 1:
                row.refuse(town_header, f"有多个名为“{town_name}”的乡镇（街道），请联系管理员处理")
                continue
            if not candidates:
                if root is None and self.new_county is None:
                    if scope.unrestricted:
                        hint = (
                            "系统中还没有区县，且无法从网格编码（前6位为区县代码）确定本区县。"
                            "请先在“首次设置”中（或用 setup_portal 命令）设置区县"
                        )
                    else:
                        hint = (
                            "系统中还没有唯一的区县级区划可以新建它，请由系统管理员先完成“首次设置”"
                        )
                    row.refuse(town_header, f"乡镇（街道）“{town_name}”不存在，{hint}")
                elif not may_create_town:
                    row.refuse(
                        town_header,
                        f"乡镇（街道）“{town_name}”不存在。只有区县管理员可以通过导入新建乡镇（街道）",
                    )
                else:
                    self.new_towns.setdefault(town_name, row.number)
                    self.new_villages.setdefault((town_name, village_name), row.number)
                continue
            town = candidates[0]
            if town.effective_until and town.effective_until <= today:
                row.refuse(town_header, f"乡镇（街道）“{town_name}”已撤并，不能再导入网格")
                continue
            village = villages.get((town.id, village_name))
            if village is None:
                if not scope.allows(town.id):
                    row.refuse(
                        village_header,
                        f"“{town_name}”不在您的管辖范围内，不能在其下新建村（社区）“{village_name}”",
                    )
                else:
                    self.new_villages.setdefault((town_name, village_name), row.number)
                continue
            if village.effective_until and village.effective_until <= today:
                target = f"，已并入“{village.merged_into.name}”" if village.merged_into_id else ""
                row.refuse(village_header, f"村（社区）“{village_name}”已撤并{target}")
                continue
            if not scope.allows(village.id):
                row.refuse(
                    village_header,
                    f"“{town_name}{village_name}”不在您的管辖范围内，不能导入该村（社区）的网格",
                )
                continue
            row.data["region_id"] = village.id
        self.root = root
        self.town_ids = {name: group[0].id for name, group in towns.items() if len(group) == 1}
        self._name_new_regions(rows, result)

    def _name_new_regions(self, rows, result):
        """List the regions the import will create, with the codes they will get."""
        first_code = {}
        for row in rows:
            if row.data.get("code") and not row.errors:
                key = (row.data.get("town"), row.data.get("village"))
                first_code.setdefault(key, row.data["code"])
                first_code.setdefault((row.data.get("town"), None), row.data["code"])
        self.region_codes = first_code
        if self.new_county is not None:
            name, prefix = self.new_county
            result.new_regions.append(
                {"name": name, "level": "区县", "parent": "（最上级）", "code": prefix}
            )
        parent = self.new_county[0] if self.new_county else getattr(self.root, "name", "")
        for name in sorted(self.new_towns):
            code = town_code_from(first_code.get((name, None), ""))
            result.new_regions.append(
                {"name": name, "level": "乡镇（街道）", "parent": parent, "code": code[:9]}
            )
        for town_name, village_name in sorted(self.new_villages):
            code = village_code_from(first_code.get((town_name, village_name), ""))
            result.new_regions.append(
                {"name": village_name, "level": "村（社区）", "parent": town_name, "code": code}
            )

    # --- look-ups and classification ---------------------------------------------------

    def resolve(self, rows, result):
        scope = Scope(self.user)
        self._resolve_regions(rows, scope, result)
        codes = [row.data["code"] for row in rows if row.data.get("code")]
        existing = {}
        fields = ["id", "code", "region_id", *(name for name, _label in COMPARED)]
        for chunk in in_chunks(codes):
            for values in Grid.objects.filter(code__in=chunk).values_list(*fields):
                existing[values[1]] = dict(zip(fields, values, strict=True))
        board = load_boards([values["id"] for values in existing.values()])

        code_header = self.header("code")
        village_header = self.header("village")
        for row in rows:
            data = row.data
            households = data.get("households")
            grid_type = data.get("grid_type") or self._default_type(data)
            norm = Grid.HOUSEHOLD_NORM.get(grid_type)
            if households is not None and norm and households > norm:
                self._warn(
                    result,
                    row,
                    self.header("households"),
                    f"户数 {households} 超过省定标准（{Grid.GridType(grid_type).label}不超过 {norm} 户），"
                    "已导入但将被标记，建议拆分网格",
                )
            if row.errors:
                continue
            before = existing.get(data["code"])
            if before is None:
                data.setdefault("grid_type", grid_type)
                row.outcome = NEW
                continue
            row.pk = before["id"]
            if not scope.allows(before["region_id"]):
                row.refuse(code_header, "该网格编码已被您管辖范围以外的网格使用，不能修改")
                continue
            if data.get("region_id") != before["region_id"]:
                row.refuse(
                    village_header,
                    "更改网格所属村（社区）需经乡镇（街道）审核，请在“网格”管理中修改，不能通过导入更改",
                )
                continue
            changes, model_changes = [], {}
            for name, label in COMPARED:
                if name in data and data[name] != before[name]:
                    changes.append(label)
                    model_changes[name] = data[name]
            changes.extend(board_changes(data.get("board", {}), board.get(row.pk, [])))
            row.settle(changes, model_changes)
        self.board = board

    @staticmethod
    def _default_type(data):
        village = data.get("village") or ""
        return Grid.GridType.RURAL if village.endswith("村") else Grid.GridType.URBAN

    def _warn(self, result, row, column, message):
        result.warnings.append(RowError(row.number, column, message))

    # --- writing --------------------------------------------------------------------------

    def write(self, new_rows, update_rows, result):
        self._create_regions(new_rows)
        now = timezone.now()
        done, total = 0, len(new_rows) + len(update_rows)
        for chunk in chunked(new_rows):
            grids = [
                Grid(
                    code=row.data["code"],
                    name=row.data["name"],
                    region_id=row.data["region_id"],
                    grid_type=row.data["grid_type"],
                    households=row.data.get("households", 0),
                    population=row.data.get("population", 0),
                    coverage=row.data.get("coverage", ""),
                    notes=row.data.get("notes", ""),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                )
                for row in chunk
            ]
            Grid.objects.bulk_create(grids)
            for row, grid in zip(chunk, grids, strict=True):
                row.pk = grid.pk
            done += len(chunk)
            self.progress("写入数据库", done, total)
        groups = {}
        for row in update_rows:
            if row.before:
                groups.setdefault(tuple(sorted(row.before)), []).append(
                    Grid(pk=row.pk, **row.before)
                )
        for fields, objects in groups.items():
            Grid.objects.bulk_update(objects, fields, batch_size=500)
        write_boards(
            [
                (row.pk, row.data["region_id"], row.data["board"], self.board.get(row.pk, []))
                for row in new_rows + update_rows
                if row.data.get("board")
            ]
        )
        self.progress("写入数据库", total, total)

    def _create_regions(self, new_rows):
        root = self.root
        if self.new_county is not None:
            from portal.setup import SetupError, ensure_root_region

            name, prefix = self.new_county
            try:
                root, _created = ensure_root_region(name, prefix, "county")
            except SetupError as exc:
                # Someone set up another county since the preview: undo the whole import.
                raise IntegrityError(str(exc)) from exc
        town_ids = dict(self.town_ids)
        for name in sorted(self.new_towns):
            town = Region.objects.create(
                name=name,
                level=Region.Level.TOWN,
                parent=root,
                code=town_code_from(self.region_codes.get((name, None), "")),
            )
            town_ids[name] = town.id
        created = {}
        for town_name, village_name in sorted(self.new_villages):
            if town_name not in town_ids:
                raise FileRefused(f"无法确定“{village_name}”所属的乡镇（街道）")
            village = Region.objects.create(
                name=village_name,
                level=Region.Level.VILLAGE,
                parent_id=town_ids[town_name],
                code=village_code_from(self.region_codes.get((town_name, village_name), "")),
            )
            created[(town_name, village_name)] = village.id
        for row in new_rows:
            if "region_id" not in row.data:
                row.data["region_id"] = created[(row.data["town"], row.data["village"])]
