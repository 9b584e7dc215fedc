"""Speed and memory of the volunteer-roster import, against a floor and against stock import-export.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--stock-sample 2000]
                                           [--postgres] [--pg-url URL] [--no-sqlite]

Generates a ``--rows`` (default 100,000) row, 13-column volunteer roster .xlsx
(title row, header, data; openpyxl write-only mode), then on a fresh SQLite
database (and on PostgreSQL with ``--postgres`` or when ``DATABASE_URL`` names
one) measures, each phase in its own process on its own fresh database:

(a) floor — the fastest reader (python-calamine) plus ``bulk_create`` of one
    ``Volunteer`` per row (ID numbers sealed: encrypted, hashed, masked) in one
    transaction. "floor+links" also bulk-creates what our import writes besides
    the volunteers (team memberships, skill tags, the carried-forward service
    record), to show where the time goes;
(b) our import (``imports.importers.volunteers.VolunteerImporter``): all checks,
    look-ups and writes;
(c) re-import of the unchanged file on the database (b) left;
(d) stock django-import-export (``Resource.import_data``, row by row) on the
    first ``--stock-sample`` rows (header in row 1, read by import-export's own
    XLSX format), extrapolated linearly to the full size — it does *less*
    work than ours (no skills, no service records, no checks beyond the
    widgets'), so the ratio favours it.

Peak memory is the phase process's ``ru_maxrss`` (Python, Django and the data).
Targets (issue): (b) ≤ 3 × (a); (b) ≥ 10 × faster than (d); peak < 500 MB;
(c) no slower than (b).
"""

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_imports"
SETTINGS = "portal.settings.test"  # DEBUG off; the database comes from DATABASE_URL

HEADER = [
    "序号", "姓名", "性别", "身份证号", "手机号码", "出生日期", "政治面貌", "所属网格",
    "服务队伍", "专业特长", "注册日期", "累计服务时长（小时）", "备注",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
POLITICAL = ["群众", "中共党员", "共青团员", "群众", "中共预备党员", "群众"]
TEAMS = [f"青石街道第{n}志愿服务队" for n in range(1, 11)]
SKILLS = ["医疗", "法律咨询", "心理疏导", "文艺", "维修", "教育", "摄影", "驾驶"]
GRID_COUNT = 50
CHECK = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(index):
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=index // 900)
    first17 = f"110101{born:%Y%m%d}{index % 900 + 100:03d}"
    total = sum(int(d) * w for d, w in zip(first17, CHECK, strict=True))
    return first17 + "10X98765432"[total % 11], born


def grid_code(n):
    return f"411523001{n // 10 + 1:03d}{n % 10 + 1:03d}"


def roster_rows(count, seed=7):
    rng = random.Random(seed)
    for index in range(count):
        number, born = _id_number(index)
        male = int(number[16]) % 2 == 1
        yield [
            index + 1,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            ("男" if male else "女") if index % 3 else "",  # a third left blank
            number,
            f"13{index:09d}",
            born,
            rng.choice(POLITICAL),
            grid_code(index % GRID_COUNT),
            rng.choice(TEAMS),
            "、".join(rng.sample(SKILLS, 2)),
            datetime.date(2020, 1, 1) + datetime.timedelta(days=index % 1500),
            round(rng.uniform(0, 200), 1),
            "",
        ]


def write_roster(path, count, title=True):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    if title:
        sheet.append(["青石街道志愿者花名册（基准测试）"])
    sheet.append(HEADER)
    for row in roster_rows(count):
        sheet.append(row)
    book.save(path)


# --- phases (each runs in its own process) -----------------------------------------------------


def _django(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_seed():
    from django.db import connection

    from portal.snippets.models import Grid, Region, VolunteerTeam

    county = Region.objects.create(name="清河县", level="county", code="411523000000")
    town = Region.objects.create(name="青石街道", level="town", parent=county, code="411523001000")
    villages = [
        Region.objects.create(name=f"第{n}社区", level="village", parent=town)
        for n in range(1, GRID_COUNT // 10 + 2)
    ]
    Grid.objects.bulk_create(
        Grid(code=grid_code(n), name=f"第{n}网格", region=villages[n // 10])
        for n in range(GRID_COUNT)
    )
    VolunteerTeam.objects.bulk_create(VolunteerTeam(name=name, region=town) for name in TEAMS)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {}


def _read_fast(path):
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)[2:]  # title and header rows


def phase_floor(path, with_links=False):
    from django.db import transaction
    from taggit.models import Tag

    from portal.snippets.models import Grid, ServiceRecord, Volunteer, VolunteerTeam
    from portal.snippets.models.volunteers import VolunteerSkill
    from portal.snippets.pii import sealed_id_fields

    started = time.perf_counter()
    rows = _read_fast(path)
    grids = dict(Grid.objects.values_list("code", "id"))
    political = {str(label): value for value, label in Volunteer.PoliticalStatus.choices}
    with transaction.atomic():
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            volunteers = [
                Volunteer(
                    name=r[1],
                    gender="M" if r[2] == "男" else "F",
                    phone=r[4],
                    birth_date=r[5],
                    political_status=political[r[6]],
                    grid_id=grids[r[7]],
                    registration_date=r[10],
                    notes=r[12],
                    **sealed_id_fields(r[3]),
                )
                for r in chunk
            ]
            Volunteer.objects.bulk_create(volunteers)
            if with_links:
                teams = dict(VolunteerTeam.objects.values_list("name", "id"))
                tags = {name: Tag.objects.get_or_create(name=name)[0].id for name in SKILLS}
                through = Volunteer.teams.through
                through.objects.bulk_create(
                    through(volunteer_id=v.pk, volunteerteam_id=teams[r[8]])
                    for v, r in zip(volunteers, chunk, strict=True)
                )
                VolunteerSkill.objects.bulk_create(
                    VolunteerSkill(content_object_id=v.pk, tag_id=tags[s])
                    for v, r in zip(volunteers, chunk, strict=True)
                    for s in r[9].split("、")
                )
                ServiceRecord.objects.bulk_create(
                    ServiceRecord(
                        volunteer_id=v.pk, date=r[10], hours=r[11], activity="结转", verifier="x"
                    )
                    for v, r in zip(volunteers, chunk, strict=True)
                    if r[11]
                )
    return {"seconds": time.perf_counter() - started, "rows": len(rows)}


def phase_ours(path):
    from imports.importers.volunteers import VolunteerImporter

    started = time.perf_counter()
    result = VolunteerImporter(None).run(path)
    seconds = time.perf_counter() - started
    if not result.imported:
        raise SystemExit(f"import refused: {result.message} {[str(e) for e in result.errors[:5]]}")
    return {"seconds": seconds, "rows": result.rows_total, "counts": result.counts}


def phase_stock(path):
    from import_export import fields, resources, widgets
    from import_export.formats.base_formats import XLSX

    from portal.snippets.models import Grid, Volunteer, VolunteerTeam
    from portal.snippets.pii import sealed_id_fields

    political = {str(label): value for value, label in Volunteer.PoliticalStatus.choices}

    class StockVolunteerResource(resources.ModelResource):
        """What a developer would write with import-export's documented features."""

        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="gender")
        id_number_hash = fields.Field(attribute="id_number_hash", column_name="id_number_hash")
        id_number_encrypted = fields.Field(
            attribute="id_number_encrypted", column_name="id_number_encrypted"
        )
        id_number_masked = fields.Field(
            attribute="id_number_masked", column_name="id_number_masked"
        )
        phone = fields.Field(attribute="phone", column_name="手机号码")
        birth_date = fields.Field(
            attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget()
        )
        political_status = fields.Field(attribute="political_status", column_name="political")
        grid = fields.Field(
            attribute="grid", column_name="所属网格", widget=widgets.ForeignKeyWidget(Grid, "code")
        )
        teams = fields.Field(
            attribute="teams",
            column_name="服务队伍",
            widget=widgets.ManyToManyWidget(VolunteerTeam, field="name", separator="、"),
        )
        registration_date = fields.Field(
            attribute="registration_date", column_name="注册日期", widget=widgets.DateWidget()
        )
        notes = fields.Field(attribute="notes", column_name="备注")

        class Meta:
            model = Volunteer
            import_id_fields = ("id_number_hash",)
            fields = (
                "name", "gender", "id_number_hash", "id_number_encrypted", "id_number_masked",
                "phone", "birth_date", "political_status", "grid", "teams", "registration_date",
                "notes",
            )  # fmt: skip
            skip_unchanged = True

        def before_import_row(self, row, **kwargs):
            row.update(sealed_id_fields(row["身份证号"]))
            number = row["身份证号"]
            row["gender"] = "M" if int(number[16]) % 2 else "F"
            row["political"] = political[row["政治面貌"]]
            row["手机号码"] = str(row["手机号码"])
            row["备注"] = row["备注"] or ""

    started = time.perf_counter()
    dataset = XLSX().create_dataset(Path(path).read_bytes())
    for derived in ("id_number_hash", "id_number_encrypted", "id_number_masked", "gender",
                    "political"):  # fmt: skip
        dataset.append_col([""] * len(dataset), header=derived)  # filled by before_import_row
    result = StockVolunteerResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(dataset), "totals": dict(result.totals)}


def run_phase(args):
    _django(args.db)
    if args.phase == "seed":
        out = phase_seed()
    elif args.phase == "floor":
        out = phase_floor(args.file)
    elif args.phase == "floor_links":
        out = phase_floor(args.file, with_links=True)
    elif args.phase in ("ours", "reimport"):
        out = phase_ours(args.file)
    elif args.phase == "stock":
        out = phase_stock(args.file)
    else:
        raise SystemExit(f"unknown phase {args.phase}")
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out, default=str))


# --- orchestration -------------------------------------------------------------------------------


def _spawn(phase, db_url, file=None):
    command = [sys.executable, __file__, "--phase", phase, "--db", db_url]
    if file:
        command += ["--file", str(file)]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
    raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")


def _migrate(db_url):
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class SqliteDatabases:
    label = "SQLite"

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.base = self.workdir / "base.sqlite3"
        _migrate(self.url(self.base))
        _spawn("seed", self.url(self.base))

    @staticmethod
    def url(path):
        return f"sqlite:///{path}"

    def fresh(self, name):
        target = self.workdir / f"{name}.sqlite3"
        shutil.copyfile(self.base, target)
        return self.url(target)


class PostgresDatabases:
    label = "PostgreSQL"

    def __init__(self, url):
        self.url_base = url.rsplit("/", 1)[0]
        self.base_name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{self.base_name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.base_name}"')
        _migrate(url)
        _spawn("seed", url)
        self.made = []

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(f"{self.url_base}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def fresh(self, name):
        db = f"{self.base_name}_{name}"
        self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{db}" TEMPLATE "{self.base_name}"')
        self.made.append(db)
        return f"{self.url_base}/{db}"

    def cleanup(self):
        for db in [*self.made, self.base_name]:
            self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def measure(databases, roster, sample, rows, sample_rows):
    floor = _spawn("floor", databases.fresh("floor"), roster)
    floor_links = _spawn("floor_links", databases.fresh("floor_links"), roster)
    ours_db = databases.fresh("ours")
    ours = _spawn("ours", ours_db, roster)
    again = _spawn("reimport", ours_db, roster)
    stock = _spawn("stock", databases.fresh("stock"), sample)
    stock_full = stock["seconds"] * rows / sample_rows

    def rate(seconds, n=rows):
        return f"{n / seconds:>10,.0f} 行/秒"

    print(f"\n[{databases.label}] {rows:,} 行 × 13 列志愿者花名册")
    print(
        f"  (a) 下限 floor：calamine 读取 + bulk_create    {floor['seconds']:8.2f} s  {rate(floor['seconds'])}  峰值内存 {floor['maxrss_mb']:.0f} MB"
    )
    print(
        f"      下限+关联 floor+links（队伍/特长/服务记录）{floor_links['seconds']:8.2f} s  {rate(floor_links['seconds'])}"
    )
    print(
        f"  (b) 本导入 ours                               {ours['seconds']:8.2f} s  {rate(ours['seconds'])}  峰值内存 {ours['maxrss_mb']:.0f} MB  {ours['counts']}"
    )
    print(
        f"  (c) 重复导入未变化的文件 re-import              {again['seconds']:8.2f} s  {rate(again['seconds'])}  峰值内存 {again['maxrss_mb']:.0f} MB  {again['counts']}"
    )
    print(f"  (d) 原生 import-export 逐行导入：实测 {sample_rows:,} 行 {stock['seconds']:.2f} s，"
          f"按比例外推到 {rows:,} 行 ≈ {stock_full:.1f} s  {rate(stock['seconds'], sample_rows)}")  # fmt: skip
    peak = max(ours["maxrss_mb"], again["maxrss_mb"])
    checks = [
        (f"本导入 / 下限 = {ours['seconds'] / floor['seconds']:.2f}×（目标 ≤ 3×）",
         ours["seconds"] <= 3 * floor["seconds"]),
        (f"本导入 / 下限+关联 = {ours['seconds'] / floor_links['seconds']:.2f}×", True),
        (f"原生逐行（外推）/ 本导入 = {stock_full / ours['seconds']:.1f}×（目标 ≥ 10×）",
         stock_full >= 10 * ours["seconds"]),
        (f"重复导入 / 首次导入 = {again['seconds'] / ours['seconds']:.2f}×（目标 ≤ 1×）",
         again["seconds"] <= ours["seconds"]),
        (f"峰值内存 {peak:.0f} MB（目标 < 500 MB）", peak < 500),
    ]  # fmt: skip
    for text, ok in checks:
        print(f"  {'✔' if ok else '✘'} {text}")
    return all(ok for _text, ok in checks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--stock-sample", type=int, default=2_000)
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL")
    parser.add_argument("--pg-url", default=None, help=f"default: DATABASE_URL or {DEFAULT_PG_URL}")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return run_phase(args)

    env_url = os.environ.get("DATABASE_URL", "")
    pg_url = args.pg_url or (env_url if env_url.startswith("postgres") else None)
    if pg_url:
        # A database of our own beside the one named: it is dropped and re-created.
        pg_url = pg_url.rsplit("/", 1)[0] + "/portal_bench_imports"
    elif args.postgres:
        pg_url = DEFAULT_PG_URL
    sample_rows = min(args.stock_sample, args.rows)
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-import-") as workdir:
        roster = Path(workdir) / "roster.xlsx"
        sample = Path(workdir) / "stock-sample.xlsx"
        started = time.perf_counter()
        write_roster(roster, args.rows)
        write_roster(sample, sample_rows, title=False)
        print(
            f"生成 {args.rows:,} 行花名册 {roster.stat().st_size / 1e6:.1f} MB，"
            f"用时 {time.perf_counter() - started:.1f} s（openpyxl 只写模式）"
        )
        if not args.no_sqlite:
            ok &= measure(SqliteDatabases(workdir), roster, sample, args.rows, sample_rows)
        if pg_url:
            databases = PostgresDatabases(pg_url)
            try:
                ok &= measure(databases, roster, sample, args.rows, sample_rows)
            finally:
                databases.cleanup()
    print("\n全部达标" if ok else "\n有指标未达标（见 ✘）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
