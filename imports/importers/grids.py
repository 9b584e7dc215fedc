"""Grid registers (网格台账): upsert on the grid code, with the staff on each grid's board.

Regions: a sheet names the town (乡镇/街道) and village (村/社区) of each grid by
name. Names that do not exist yet are created under the site's county (the
root region) and listed as new in the preview — but only where the user's
scope allows: creating a town takes a county-wide user (county admins,
superusers, the command line); a town admin may create villages in their own
town only. A village that has been merged away (失效日期 passed) is refused.

Moving an existing grid to another village is one of the changes that need the
town admins' approval (see ``portal.snippets.models.workflow``), so the
importer refuses it and points to the grid editor instead of going around the
workflow. New grids are created live: only users who may approve grid changes
in their scope can import them.

Staff: 网格长 (+ 网格长电话) and 专职网格员 (names separated by 、) describe the
grid's public board. A filled cell makes the board match it (people no longer
named are unlinked from the grid, not deleted); a blank cell leaves it alone.
"""

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
from .base import CHUNK, NEW, UNCHANGED, UPDATE, BaseImporter, RowError, chunked
from .lookups import Scope, in_chunks

clean_grid_type = choice_cleaner(
    Grid.GridType.choices,
    "网格类型",
    {"城市": "urban", "城镇": "urban", "城镇网格": "urban", "社区网格": "urban", "农村": "rural",
     "村": "rural", "专属": "special", "专属网格": "special"},
)  # fmt: skip


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
    Column("notes", "备注", clean_text),
]

COMPARED = [
    ("name", "网格名称"),
    ("grid_type", "网格类型"),
    ("households", "户数"),
    ("population", "人口数"),
    ("notes", "备注"),
]

Role = GridStaff.Role


class GridImporter(BaseImporter):
    kind = "grids"
    columns = COLUMNS
    key_column = "code"

    def check_row(self, row):
        data = row.data
        if data.get("leader_phone") and not data.get("leader"):
            row.refuse(self.header("leader_phone"), "填写了网格长电话，但没有填写网格长姓名")

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

    def _resolve_regions(self, rows, scope, result):
        today = timezone.localdate()
        root = self._root()
        town_names = {row.data["town"] for row in rows if row.data.get("town")}
        towns = {}
        for region in Region.objects.filter(level=Region.Level.TOWN, name__in=town_names):
            towns.setdefault(region.name, []).append(region)
        villages = {}
        town_ids = [region.id for group in towns.values() for region in group]
        for region in Region.objects.filter(level=Region.Level.VILLAGE, parent_id__in=town_ids):
            villages[(region.parent_id, region.name)] = region
        may_create_town = scope.unrestricted or (root is not None and scope.allows(root.id))

        self.new_towns = {}  # name → first row number
        self.new_villages = {}  # (town name, village name) → first row number
        town_header, village_header = self.header("town"), self.header("village")
        for row in rows:
            town_name, village_name = row.data.get("town"), row.data.get("village")
            if not town_name or not village_name:
                continue
            candidates = towns.get(town_name, [])
            if len(candidates) > 1:
                row.refuse(town_header, f"有多个名为“{town_name}”的乡镇（街道），请联系管理员处理")
                continue
            if not candidates:
                if root is None:
                    row.refuse(
                        town_header,
                        f"乡镇（街道）“{town_name}”不存在，且系统中没有唯一的区县级区划可以新建它",
                    )
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
        for name in sorted(self.new_towns):
            result.new_regions.append({"name": name, "level": "乡镇（街道）", "parent": root.name})
        for town_name, village_name in sorted(self.new_villages):
            result.new_regions.append(
                {"name": village_name, "level": "村（社区）", "parent": town_name}
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
        board = self._boards([values["id"] for values in existing.values()])

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
            staff_changes = self._staff_changes(data, board.get(row.pk, []))
            changes.extend(staff_changes)
            if changes:
                row.outcome = UPDATE
                row.changes = tuple(changes)
                row.before = model_changes
            else:
                row.outcome = UNCHANGED
        self.board = board

    @staticmethod
    def _default_type(data):
        village = data.get("village") or ""
        return Grid.GridType.RURAL if village.endswith("村") else Grid.GridType.URBAN

    def _warn(self, result, row, column, message):
        result.warnings.append(RowError(row.number, column, message))

    def _boards(self, grid_ids):
        """grid id → [(staff id, role, name, phone)] for the staff linked to each grid."""
        board = {}
        through = GridStaff.grids.through
        for chunk in in_chunks(grid_ids):
            for grid_id, staff_id, role, name, phone in through.objects.filter(
                grid_id__in=chunk
            ).values_list(
                "grid_id",
                "gridstaff_id",
                "gridstaff__role",
                "gridstaff__name",
                "gridstaff__work_phone",
            ):
                board.setdefault(grid_id, []).append((staff_id, role, name, phone))
        return board

    @staticmethod
    def _staff_changes(data, board):
        changes = []
        leaders = [entry for entry in board if entry[1] == Role.LEADER]
        if "leader" in data:
            names = {entry[2] for entry in leaders}
            if names != {data["leader"]}:
                changes.append("网格长")
            elif "leader_phone" in data and leaders[0][3] != data["leader_phone"]:
                changes.append("网格长电话")
        if "workers" in data:
            current = {entry[2] for entry in board if entry[1] == Role.FULL_TIME}
            if current != set(data["workers"]):
                changes.append("专职网格员")
        return changes

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
        self._write_staff(new_rows + update_rows)
        self.progress("写入数据库", total, total)

    def _create_regions(self, new_rows):
        code_of = {}
        for row in new_rows:
            code_of.setdefault((row.data["town"], row.data["village"]), row.data["code"])
        town_ids = dict(self.town_ids)
        for name in sorted(self.new_towns):
            sample = next((c for (t, _v), c in code_of.items() if t == name), "")
            town = Region.objects.create(
                name=name,
                level=Region.Level.TOWN,
                parent=self.root,
                code=sample[:9] + "000" if len(sample) == 15 else "",
            )
            town_ids[name] = town.id
        created = {}
        for town_name, village_name in sorted(self.new_villages):
            sample = code_of.get((town_name, village_name), "")
            if town_name not in town_ids:
                raise FileRefused(f"无法确定“{village_name}”所属的乡镇（街道）")
            village = Region.objects.create(
                name=village_name,
                level=Region.Level.VILLAGE,
                parent_id=town_ids[town_name],
                code=sample[:12] if len(sample) == 15 else "",
            )
            created[(town_name, village_name)] = village.id
        for row in new_rows:
            if "region_id" not in row.data:
                row.data["region_id"] = created[(row.data["town"], row.data["village"])]

    def _write_staff(self, rows):
        """Make each grid's board match the sheet where the sheet fills the staff columns.

        Leaders are matched by name and phone (one leader may lead several grids);
        full-time workers by name among those already on the grid, else one new
        person per village and name. New people are inserted in bulk first, then
        the links.
        """
        through = GridStaff.grids.through
        leader_keys = {
            (row.data["leader"], row.data.get("leader_phone", ""))
            for row in rows
            if row.data.get("leader")
        }
        staff_ids = {}
        if leader_keys:
            names = {name for name, _phone in leader_keys}
            for staff_id, name, phone in GridStaff.objects.filter(
                role=Role.LEADER, name__in=names
            ).values_list("id", "name", "work_phone"):
                staff_ids.setdefault(("leader", name, phone), staff_id)

        plan = []  # (grid id, staff key) to link
        unlink, phone_updates, to_create = [], {}, {}
        for row in rows:
            data = row.data
            board = self.board.get(row.pk, [])
            if "leader" in data:
                phone = data.get("leader_phone")
                current = [entry for entry in board if entry[1] == Role.LEADER]
                keep = next((entry for entry in current if entry[2] == data["leader"]), None)
                unlink.extend((row.pk, entry[0]) for entry in current if entry is not keep)
                if keep is not None:
                    if phone and keep[3] != phone:
                        phone_updates[keep[0]] = phone
                else:
                    key = ("leader", data["leader"], phone or "")
                    if key not in staff_ids:
                        to_create[key] = GridStaff(
                            name=data["leader"], role=Role.LEADER, work_phone=phone or ""
                        )
                    plan.append((row.pk, key))
            if "workers" in data:
                current = {entry[2]: entry[0] for entry in board if entry[1] == Role.FULL_TIME}
                unlink.extend(
                    (row.pk, staff_id)
                    for name, staff_id in current.items()
                    if name not in data["workers"]
                )
                for name in data["workers"]:
                    if name in current:
                        continue
                    key = ("worker", data["region_id"], name)
                    if key not in staff_ids:
                        to_create[key] = GridStaff(name=name, role=Role.FULL_TIME, full_time=True)
                    plan.append((row.pk, key))
        created = list(to_create.items())
        GridStaff.objects.bulk_create([staff for _key, staff in created], batch_size=CHUNK)
        staff_ids.update((key, staff.pk) for key, staff in created)
        for grid_id, staff_id in unlink:
            through.objects.filter(grid_id=grid_id, gridstaff_id=staff_id).delete()
        links = {(grid_id, staff_ids[key]) for grid_id, key in plan}
        through.objects.bulk_create(
            [through(grid_id=grid_id, gridstaff_id=staff_id) for grid_id, staff_id in links],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        for staff_id, phone in phone_updates.items():
            GridStaff.objects.filter(pk=staff_id).update(work_phone=phone)
