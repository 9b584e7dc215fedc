"""Volunteer rosters (志愿者花名册): upsert on the ID number.

Natural key: the keyed hash of the ID number (``Volunteer.id_number_hash``);
the number itself is only encrypted for new volunteers. Gender and birth date
come from the ID number; a sheet that gives different ones is refused rather
than silently corrected. A blank cell never clears what is stored (rosters
often leave optional columns empty); a filled one replaces it.

累计服务时长: totals are always computed from service records, so for a *new*
volunteer with hours on the sheet we record one carried-forward service record
("导入前累计服务时长（结转）"); for volunteers already registered the column
is not compared (their records are the truth).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from portal.snippets.models import Grid, ServiceRecord, Volunteer, VolunteerTeam
from portal.snippets.models.volunteers import VolunteerSkill
from portal.snippets.pii import (
    birth_date_from_id,
    gender_from_id,
    hash_normalised_id_number,
    mask_id_number,
)
from portal.snippets.volunteering import assign_id_number

from ..cleaning import (
    choice_cleaner,
    clean_date,
    clean_hours,
    clean_list,
    clean_name,
    clean_text,
    clean_word_list,
    clean_year_month_or_date,
)
from ..table import Column
from .base import (
    CHUNK,
    UNAVAILABLE_ID_NUMBER,
    BaseImporter,
    as_date,
    chunked,
    in_clause,
    insert_rows,
    new_ids,
    select_rows,
    table_of,
    vouched_references,
)
from .existing_rows import classify_rows, compare_plan
from .gridref import clean_grid_cell
from .lookups import Scope, in_chunks, lookup_chunk, rows_with_grids
from .person_columns import id_number_column, phone_column

CARRY_FORWARD_ACTIVITY = "导入前累计服务时长（结转）"
CARRY_FORWARD_VERIFIER = "批量导入"

POLITICAL_ALIASES = {
    "党员": "cpc",
    "共产党员": "cpc",
    "中国共产党党员": "cpc",
    "预备党员": "cpc_prob",
    "团员": "cyl",
    "共青团员": "cyl",
    "无": "masses",
    "无党派": "masses",
    "无党派人士": "masses",
    "民革党员": "other_party",
    "民盟盟员": "other_party",
    "民建会员": "other_party",
    "民进会员": "other_party",
    "农工党党员": "other_party",
    "致公党党员": "other_party",
    "九三学社社员": "other_party",
    "台盟盟员": "other_party",
}
clean_gender = choice_cleaner(
    Volunteer.Gender.choices, "性别", {"男性": "M", "女性": "F", "m": "M", "f": "F"}
)
clean_political_status = choice_cleaner(
    Volunteer.PoliticalStatus.choices, "政治面貌", POLITICAL_ALIASES
)


def clean_registration_date(value):
    return clean_date(value)


COLUMNS = [
    Column("seq", "序号", ignored=True, synonyms=("编号",)),
    Column("name", "姓名", clean_name, required=True, example="张三"),
    Column("gender", "性别", clean_gender, help="可不填，按身份证号自动判断", example="男"),
    id_number_column(),
    phone_column("手机号码"),
    Column(
        "birth_date",
        "出生日期",
        clean_year_month_or_date,
        synonyms=("出生年月",),
        help="可不填，按身份证号自动计算",
        example="1990-03-07",
    ),
    Column(
        "political_status",
        "政治面貌",
        clean_political_status,
        help="不填视为群众",
        example="群众",
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
        "teams",
        "服务队伍",
        clean_list,
        synonyms=("志愿服务队", "所属队伍", "志愿服务队伍", "队伍", "服务队", "所属服务队"),
        help="多个队伍用顿号（、）分隔",
        example="青石街道志愿服务队",
    ),
    Column(
        "skills",
        "专业特长",
        clean_word_list,
        synonyms=("特长", "技能", "专长"),
        help="多个特长用顿号（、）分隔",
        example="医疗、法律咨询",
    ),
    Column(
        "registration_date",
        "注册日期",
        clean_registration_date,
        synonyms=("注册时间", "登记日期", "加入日期"),
        example="2023-05-01",
    ),
    Column(
        "hours",
        "累计服务时长（小时）",
        clean_hours,
        synonyms=("累计服务时长", "服务时长", "累计时长", "服务时长（小时）"),
        help="仅用于新登记的志愿者，记为一条结转服务记录",
        example="12.5",
    ),
    Column("notes", "备注", clean_text),
]


# model field → (column key, label) compared for existing volunteers
COMPARED = [
    ("name", "name", "姓名"),
    ("gender", "gender", "性别"),
    ("phone", "phone", "手机号码"),
    ("birth_date", "birth_date", "出生日期"),
    ("political_status", "political_status", "政治面貌"),
    ("grid_id", "grid_id", "所属网格"),
    ("registration_date", "registration_date", "注册日期"),
    ("notes", "notes", "备注"),
]


# (position in a look-up row, field, column key, label, stored as text) for each compared field
COMPARE_PLAN = compare_plan(COMPARED, text_fields=("phone", "notes", "name"))
# Positions of the date columns in a row of ``_classify``'s look-up (id, hash, COMPARED…).
DATE_POSITIONS = [
    position
    for position, (field_name, _key, _label) in enumerate(COMPARED, start=2)
    if field_name.endswith("_date")
]
# Every stored column of a new volunteer (``insert_rows`` sets no defaults: ``_insert`` does).
INSERTED = [field for field in Volunteer._meta.concrete_fields if not field.primary_key]
# The columns ``_insert`` fills from the sheet; the others get their field's default.
_WRITTEN = (
    "name",
    "gender",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "phone",
    "birth_date",
    "political_status",
    "grid",
    "registration_date",
    "notes",
)


def _selected(field_name):
    """A column of ``_classify``'s look-up. SQLite's driver would parse a date column
    with Django's regex converter (a third of the look-up); as text it is read by
    ``as_date`` (``date.fromisoformat``)."""
    column = f"v.{connection.ops.quote_name(field_name)}"
    if connection.vendor == "sqlite" and field_name.endswith("_date"):
        return f"CAST({column} AS TEXT)"
    return column


def _with_dates(values):
    values = list(values)
    for index in DATE_POSITIONS:
        if values[index] is not None:
            values[index] = as_date(values[index])
    return values


class _NewVolunteer:
    """What ``assign_id_number`` reads and writes, for a volunteer inserted as a plain row.

    A ``Volunteer`` instance costs about 16 µs to build (its cluster machinery);
    for 10⁵ new rows that is most of the write, for attributes nobody reads.
    """

    __slots__ = (
        "pk",
        "gender",
        "birth_date",
        "id_number_encrypted",
        "id_number_hash",
        "id_number_masked",
    )

    def __init__(self, gender, birth_date):
        self.pk = None
        self.gender = gender
        self.birth_date = birth_date


class VolunteerImporter(BaseImporter):
    kind = "volunteers"
    columns = COLUMNS
    key_column = "id_number"

    @cached_property
    def today(self):
        return timezone.localdate()

    def check_row(self, row):
        data = row.data
        number = data.get("id_number")
        if not number:
            return
        data["id_hash"] = hash_normalised_id_number(number)  # cleaned: normalised already
        derived_gender = gender_from_id(number)
        given = data.get("gender")
        if given and given != derived_gender:
            label = Volunteer.Gender(derived_gender).label
            row.refuse(self.header("gender"), f"性别与身份证号不一致（身份证号显示为{label}）")
        data["gender"] = derived_gender
        born = birth_date_from_id(number)
        given_birth = data.get("birth_date")
        if given_birth:
            day, precise = given_birth
            same = day == born if precise else (day.year, day.month) == (born.year, born.month)
            if not same:
                row.refuse(
                    self.header("birth_date"),
                    f"出生日期与身份证号不一致（身份证号显示为 {born:%Y-%m-%d}）",
                )
        data["birth_date"] = born
        if born > self.today:
            # Not a person yet; refused with the message an out-of-scope number gets,
            # so that message alone says nothing about anyone registered elsewhere.
            row.refuse(self.header("id_number"), UNAVAILABLE_ID_NUMBER)

    def describe(self, row):
        number = row.data.get("id_number")
        return {
            "姓名": row.data.get("name", ""),
            "身份证号": mask_id_number(number) if number else "",
            "所属网格": row.data.get("grid", ""),
        }

    # --- look-ups and classification ------------------------------------------------

    def resolve(self, rows, result):
        scope = Scope(self.user)
        for row, grid in rows_with_grids(self, rows, scope):
            row.data["grid_id"] = grid.id
            row.data["grid_town_id"] = grid.town_id

        team_names = {name for row in rows for name in row.data.get("teams", ())}
        self.team_ids = dict(
            VolunteerTeam.objects.filter(name__in=team_names).values_list("name", "id")
        )
        result.new_teams = sorted(team_names - set(self.team_ids))
        self.new_team_towns = {}
        for row in rows:
            if not row.errors:
                for name in row.data.get("teams", ()):
                    if name not in self.team_ids:
                        self.new_team_towns.setdefault(name, row.data.get("grid_town_id"))

        # Chunk by chunk, so that only one chunk of stored volunteers is in memory.
        self.registered = set()  # keyed hashes of the volunteers the file names
        pending = [row for row in rows if not row.errors]
        size = lookup_chunk()
        for start in range(0, len(pending), size):
            self._classify(pending[start : start + size], scope, size)
            self.progress("比对已有数据", min(start + size, len(pending)), len(pending))

    def _classify(self, rows, scope, size):
        fields = ["id", "id_number_hash"] + [f for f, _k, _l in COMPARED] + ["grid__region_id"]
        volunteers, grids = table_of(Volunteer), table_of(Grid)
        where, params = in_clause("v.id_number_hash", [row.data["id_hash"] for row in rows])
        columns = ", ".join(_selected(f) for f in fields[:-1])
        found = select_rows(
            f"SELECT {columns}, g.region_id FROM {volunteers} v"
            f" JOIN {grids} g ON g.id = v.grid_id WHERE {where}",
            params,
        )
        if connection.vendor == "sqlite":  # dates as text (``_selected``)
            found = [_with_dates(values) for values in found]
        existing = {values[1]: values for values in found}
        self.registered.update(existing)
        teams_of, skills_of = self._memberships([values[0] for values in existing.values()], size)
        empty = frozenset()

        def memberships(row, changes, model_changes):
            data = row.data
            if "teams" in data and set(data["teams"]) != teams_of.get(row.pk, empty):
                changes.append("服务队伍")
                model_changes["teams"] = data["teams"]
            if "skills" in data and set(data["skills"]) != skills_of.get(row.pk, empty):
                changes.append("专业特长")
                model_changes["skills"] = data["skills"]

        classify_rows(self, rows, existing, scope, Volunteer, COMPARE_PLAN, also=memberships)

    def _memberships(self, volunteer_ids, size):
        teams_of, skills_of = {}, {}
        through = Volunteer.teams.through
        for chunk in in_chunks(volunteer_ids, size):
            where, params = in_clause("m.volunteer_id", chunk)
            for volunteer_id, name in select_rows(
                f"SELECT m.volunteer_id, t.name FROM {table_of(through)} m"
                f" JOIN {table_of(VolunteerTeam)} t ON t.id = m.volunteerteam_id WHERE {where}",
                params,
            ):
                teams_of.setdefault(volunteer_id, set()).add(name)
            where, params = in_clause("s.content_object_id", chunk)
            for volunteer_id, name in select_rows(
                f"SELECT s.content_object_id, t.name FROM {table_of(VolunteerSkill)} s"
                f" JOIN {table_of(Tag)} t ON t.id = s.tag_id WHERE {where}",
                params,
            ):
                skills_of.setdefault(volunteer_id, set()).add(name)
        return teams_of, skills_of

    # --- writing ---------------------------------------------------------------------------

    def write(self, new_rows, update_rows, result):
        self._create_teams()
        tag_ids = self._tag_ids(
            {name for row in new_rows + update_rows for name in row.data.get("skills", ())}
        )
        total = len(new_rows) + len(update_rows)
        given = new_ids(Volunteer, len(new_rows))
        if given is not None:
            # PostgreSQL: every new volunteer in one COPY, each row sealed as it is sent,
            # so that the server inserts (and maintains indexes) while the next rows are
            # sealed; then one COPY per link table. Per-chunk COPYs cost a round trip
            # and a statement start-up each (400 for a 10⁵-row roster).
            self._insert_streamed(new_rows, given, tag_ids, total)
            done = len(new_rows)
        else:
            done = 0
            for chunk in chunked(new_rows):
                self._insert(chunk, tag_ids)
                done += len(chunk)
                self.progress("写入数据库", done, total)
        for chunk in chunked(update_rows):
            self._update(chunk, tag_ids)
            done += len(chunk)
            self.progress("写入数据库", done, total)

    def _create_teams(self):
        for name, town_id in sorted(self.new_team_towns.items()):
            if town_id is None:
                continue
            team = VolunteerTeam.objects.create(name=name, region_id=town_id)
            self.team_ids[name] = team.id

    def _tag_ids(self, names):
        ids = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        for name in sorted(names - set(ids)):
            ids[name] = Tag.objects.create(name=name).id  # save() makes a unique slug
        return ids

    def _sealed_rows(self, rows):
        """The stored columns (``INSERTED`` order) of each new row: what the admin form
        would save. Each ID number is validated and sealed by ``assign_id_number``, the
        admin's helper, against the hashes looked up while classifying."""
        names = [field.name for field in INSERTED]
        template = [field.get_default() for field in INSERTED]
        at = {name: names.index(name) for name in _WRITTEN}
        masses = Volunteer.PoliticalStatus.MASSES
        registered = self.registered
        for row in rows:
            data = row.data
            record = _NewVolunteer(data["gender"], data["birth_date"])
            try:
                # ``id_number`` is this row's cleaned cell: normalised and checked.
                assign_id_number(
                    record,
                    data["id_number"],
                    taken=registered,
                    digest=data["id_hash"],
                    validated=True,
                )
            except ValidationError as exc:  # checked before; a change in between undoes it all
                raise IntegrityError("; ".join(exc.messages)) from exc
            value = template.copy()
            value[at["name"]] = data["name"]
            value[at["gender"]] = record.gender
            value[at["id_number_encrypted"]] = record.id_number_encrypted
            value[at["id_number_hash"]] = record.id_number_hash
            value[at["id_number_masked"]] = record.id_number_masked
            value[at["phone"]] = data.get("phone", "")
            value[at["birth_date"]] = record.birth_date
            value[at["political_status"]] = data.get("political_status", masses)
            value[at["grid"]] = data["grid_id"]
            value[at["registration_date"]] = data.get("registration_date")
            value[at["notes"]] = data.get("notes", "")
            yield value

    def _insert(self, rows, tag_ids):
        """Plain INSERTs (``insert_rows``) of one chunk of new volunteers, ids read back
        by their keyed hash (SQLite)."""
        names = [field.name for field in INSERTED]
        values = list(self._sealed_rows(rows))
        insert_rows(Volunteer, names, values)
        where, params = in_clause("id_number_hash", [row.data["id_hash"] for row in rows])
        ids = dict(
            select_rows(
                f"SELECT id_number_hash, id FROM {table_of(Volunteer)} WHERE {where}", params
            )
        )
        for row in rows:
            row.pk = ids[row.data["id_hash"]]
        self._insert_links(rows, tag_ids)

    def _insert_streamed(self, rows, given, tag_ids, total):
        """One COPY of all new volunteers with the ids ``new_ids`` drew (PostgreSQL)."""
        names = [field.name for field in INSERTED]
        progress = self.progress

        def values():
            for done, (row, value, pk) in enumerate(
                zip(rows, self._sealed_rows(rows), given, strict=True), start=1
            ):
                row.pk = pk
                value.append(pk)
                yield value
                if done % CHUNK == 0:
                    progress("写入数据库", done, total)

        # Every reference of these rows is to a volunteer of this COPY or to a grid,
        # team or tag: those are locked and counted, and the rows need no check each.
        references = {
            Grid: {row.data["grid_id"] for row in rows},
            VolunteerTeam: {self.team_ids[n] for row in rows for n in row.data.get("teams", ())},
            Tag: {tag_ids[name] for row in rows for name in row.data.get("skills", ())},
        }
        with vouched_references(references):
            insert_rows(Volunteer, [*names, "id"], values())
            self._insert_links(rows, tag_ids)
        progress("写入数据库", len(rows), total)

    def _insert_links(self, rows, tag_ids):
        """Teams, skills and the carried-forward hours of new volunteers (``row.pk`` set)."""
        today = timezone.localdate()
        team_ids = self.team_ids
        insert_rows(
            Volunteer.teams.through,
            ("volunteer", "volunteerteam"),
            [(row.pk, team_ids[name]) for row in rows for name in row.data.get("teams", ())],
        )
        insert_rows(
            VolunteerSkill,
            ("content_object", "tag"),
            [(row.pk, tag_ids[name]) for row in rows for name in row.data.get("skills", ())],
        )
        insert_rows(
            ServiceRecord,
            ("volunteer", "date", "hours", "activity", "verifier"),
            [
                (
                    row.pk,
                    row.data.get("registration_date") or today,
                    row.data["hours"],
                    CARRY_FORWARD_ACTIVITY,
                    CARRY_FORWARD_VERIFIER,
                )
                for row in rows
                if row.data.get("hours")
            ],
        )

    def _update(self, rows, tag_ids):
        groups = {}
        team_rows, skill_rows = [], []
        for row in rows:
            changes = dict(row.before)
            if "teams" in changes:
                team_rows.append(row)
                changes.pop("teams")
            if "skills" in changes:
                skill_rows.append(row)
                changes.pop("skills")
            if changes:
                groups.setdefault(tuple(sorted(changes)), []).append(
                    Volunteer(pk=row.pk, **changes)
                )
        for fields, objects in groups.items():
            Volunteer.objects.bulk_update(objects, fields)
        through = Volunteer.teams.through
        if team_rows:
            through.objects.filter(volunteer_id__in=[row.pk for row in team_rows]).delete()
            insert_rows(
                through,
                ("volunteer", "volunteerteam"),
                [(row.pk, self.team_ids[name]) for row in team_rows for name in row.data["teams"]],
            )
        if skill_rows:
            VolunteerSkill.objects.filter(
                content_object_id__in=[row.pk for row in skill_rows]
            ).delete()
            insert_rows(
                VolunteerSkill,
                ("content_object", "tag"),
                [(row.pk, tag_ids[name]) for row in skill_rows for name in row.data["skills"]],
            )
