"""Grid staff sheets (网格工作人员名册): one row per person on a grid's board.

The other usual layout of the staff, beside the role columns of the grid
register (``grids``): 网格编码, 姓名, 岗位 (网格长, 专职网格员, 兼职网格员,
网格指导员), 工作电话. A separate kind rather than a second sheet of the grid
workbook, so that the file goes through the same checks as every import
(real format, formulas, header finding, row/column errors) and an office may
keep its staff list as its own file.

For every grid and role the sheet names, the board is made to match the sheet
(see ``boards``): people no longer listed are unlinked from that grid (never
deleted; the preview names them), roles the sheet does not mention for a
grid are left alone. A person serving several grids takes one row per grid.
The grids must exist and lie in the user's scope.
"""

from portal.snippets.models import GridStaff

from ..cleaning import choice_cleaner, clean_bool, clean_name, clean_phone
from ..table import Column
from .base import NEW, UNCHANGED, UPDATE, BaseImporter, RowError
from .boards import SPEC_BY_ROLE, load_boards, write_boards
from .lookups import Scope, clean_grid_ref, rows_with_grids

Role = GridStaff.Role

clean_role = choice_cleaner(
    Role.choices,
    "岗位",
    {"专职": Role.FULL_TIME, "兼职": Role.PART_TIME, "指导员": Role.INSTRUCTOR,
     "网格员": Role.FULL_TIME, "专职网格管理员": Role.FULL_TIME, "兼职网格管理员": Role.PART_TIME},
)  # fmt: skip


COLUMNS = [
    Column("seq", "序号", ignored=True),
    Column(
        "grid",
        "网格编码",
        clean_grid_ref,
        synonyms=("所属网格", "网格代码", "网格统一编码", "网格"),
        required=True,
        help="已登记网格的编码",
        example="411523001001001",
    ),
    Column("grid_name", "网格名称", ignored=True),
    Column("name", "姓名", clean_name, synonyms=("人员姓名",), required=True, example="王芳"),
    Column(
        "role",
        "岗位",
        clean_role,
        synonyms=("职务", "角色", "人员类别", "类别"),
        required=True,
        help="网格长、专职网格员、兼职网格员或网格指导员",
        example="专职网格员",
    ),
    Column(
        "work_phone",
        "工作电话",
        clean_phone,
        synonyms=("联系电话", "电话", "手机号码", "手机", "办公电话"),
        help="公开在网格公示牌上的工作电话",
        example="13900139001",
    ),
    Column(
        "party_member",
        "中共党员",
        clean_bool,
        synonyms=("是否党员", "是否中共党员", "党员"),
        help="是或否",
        example="是",
    ),
]


class GridStaffImporter(BaseImporter):
    kind = "grid_staff"
    columns = COLUMNS
    key_column = "grid"

    def natural_key(self, row):
        data = row.data
        if not (data.get("grid") and data.get("name") and data.get("role")):
            return None
        return (data["grid"], data["role"], data["name"])

    def describe(self, row):
        role = row.data.get("role")
        return {
            "网格": row.data.get("grid", ""),
            "姓名": row.data.get("name", ""),
            "岗位": Role(role).label if role else "",
        }

    def resolve(self, rows, result):
        scope = Scope(self.user)
        for row, info in rows_with_grids(self, rows, scope, skip_refused=True):
            row.data["grid_id"], row.data["region_id"] = info.id, info.region_id
        good = [row for row in rows if not row.errors]
        self.regions = {row.data["grid_id"]: row.data["region_id"] for row in good}
        self.current = load_boards({row.data["grid_id"] for row in good})
        # (grid, role) pairs with a refused row are left as they are, even with 跳过错误行.
        spoiled = {(row.data.get("grid_id"), row.data.get("role")) for row in rows if row.errors}
        self.wanted = {}
        for row in good:
            key = (row.data["grid_id"], row.data["role"])
            if key in spoiled:
                continue
            self.wanted.setdefault(row.data["grid_id"], {}).setdefault(row.data["role"], []).append(
                (row.data["name"], row.data.get("work_phone") or None)
            )
        for row in good:
            on_board = {
                entry[2]: entry
                for entry in self.current.get(row.data["grid_id"], [])
                if entry[1] == row.data["role"]
            }
            entry = on_board.get(row.data["name"])
            phone = row.data.get("work_phone")
            if entry is None:
                row.outcome = NEW
            elif phone and entry[3] != phone:
                row.outcome, row.changes = UPDATE, ("工作电话",)
            else:
                row.outcome = UNCHANGED
        for grid_id, roles in self.wanted.items():
            code = next(
                (r.data["grid"] for r in good if r.data["grid_id"] == grid_id), str(grid_id)
            )
            for role, people in roles.items():
                listed = {name for name, _phone in people}
                for entry in self.current.get(grid_id, []):
                    if entry[1] == role and entry[2] not in listed:
                        result.warnings.append(
                            RowError(
                                None,
                                "",
                                f"网格“{code}”的{SPEC_BY_ROLE[role].label}“{entry[2]}”不在本表中，"
                                "导入后将不再显示在该网格的公示牌上（人员信息保留）",
                            )
                        )
        self._party = {
            (row.data["grid_id"], row.data["role"], row.data["name"]): row.data["party_member"]
            for row in good
            if "party_member" in row.data
        }

    def write(self, new_rows, update_rows, result):
        write_boards(
            [
                (grid_id, self.regions[grid_id], roles, self.current.get(grid_id, []))
                for grid_id, roles in self.wanted.items()
            ]
        )
        self._write_party_members()
        done = len(new_rows) + len(update_rows)
        self.progress("写入数据库", done, done)

    def _write_party_members(self):
        if not self._party:
            return
        through = GridStaff.grids.through
        for (grid_id, role, name), flag in self._party.items():
            ids = through.objects.filter(
                grid_id=grid_id, gridstaff__role=role, gridstaff__name=name
            ).values_list("gridstaff_id", flat=True)
            GridStaff.objects.filter(pk__in=list(ids)).exclude(party_member=flag).update(
                party_member=flag
            )
