"""The roster importer's bulk write vouches for its foreign keys (``base.vouched_references``).

On PostgreSQL, for a role allowed to, the new volunteers and their link rows are
written without one foreign-key trigger per row; the grids, teams and tags they
refer to are locked and counted instead. These tests hold that shortcut to the
database's own rules: a referenced row that is gone still undoes the import,
the checks are back on after the write, and a role that may not turn the
triggers off imports the same rows with the database checking them.
"""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from imports.importers.base import may_skip_reference_triggers, vouched_references
from imports.importers.volunteers import VolunteerImporter
from portal.snippets.models import Grid, ServiceRecord, Volunteer, VolunteerTeam
from portal.snippets.models.volunteers import VolunteerSkill

from .conftest import GRID_WEST, make_id, volunteer_row, write_xlsx

HEADER = [
    "序号", "姓名", "性别", "身份证号", "手机号码", "出生日期", "政治面貌", "所属网格",
    "服务队伍", "专业特长", "注册日期", "累计服务时长（小时）", "备注",
]  # fmt: skip


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-by-row foreign-key triggers are PostgreSQL's")


def _roster(tmp_path, rows):
    path = tmp_path / "roster.xlsx"
    write_xlsx(path, [HEADER, *rows])
    return path


def _setting(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


class _GridDeletedMeanwhile(VolunteerImporter):
    """Someone deletes a grid after the file was checked and before the rows are written."""

    def write(self, new_rows, update_rows, result):
        Grid.objects.filter(code=GRID_WEST).delete()
        super().write(new_rows, update_rows, result)


@pytest.mark.django_db(transaction=True)
def test_a_grid_deleted_before_the_write_undoes_the_whole_import(grids, tmp_path):
    path = _roster(
        tmp_path,
        [
            volunteer_row(1, "张三", make_id("19900307", "451")),
            volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_WEST),
        ],
    )
    result = _GridDeletedMeanwhile(None).run(path)
    assert not result.imported
    assert "本次导入已全部撤销" in result.message
    assert not Volunteer.objects.exists()
    assert not VolunteerSkill.objects.exists()
    assert not ServiceRecord.objects.exists()
    assert not Volunteer.teams.through.objects.exists()


def test_foreign_keys_are_checked_again_after_the_write(postgres_only, grids, tmp_path):
    path = _roster(tmp_path, [volunteer_row(1, "张三", make_id("19900307", "451"))])
    before = _setting("session_replication_role")
    result = VolunteerImporter(None).run(path)
    assert result.imported
    assert _setting("session_replication_role") == before == "origin"
    volunteer = Volunteer.objects.get()
    assert volunteer.grid == grids["east"]
    assert [team.name for team in volunteer.teams.all()] == ["青石志愿服务队"]
    assert sorted(volunteer.skills.names()) == ["医疗", "法律"]
    assert volunteer.service_records.get().hours == 12.5


def test_a_referenced_row_that_is_gone_is_refused(postgres_only, grids):
    if not may_skip_reference_triggers():
        pytest.skip("this role may not turn the triggers off")
    team = VolunteerTeam.objects.create(name="青石志愿服务队", region=grids["east"].region)
    gone = team.pk + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        with vouched_references({VolunteerTeam: [team.pk, gone], Grid: [grids["east"].pk]}):
            pass
    with transaction.atomic(), vouched_references({VolunteerTeam: [team.pk]}) as vouched:
        assert vouched
        assert _setting("session_replication_role") == "replica"
    assert _setting("session_replication_role") == "origin"


def test_a_role_that_may_not_turn_triggers_off_imports_the_same_rows(
    postgres_only, grids, tmp_path
):
    role = f"importer_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER')
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        cursor.execute(f'SET ROLE "{role}"')
    try:
        assert not may_skip_reference_triggers()
        path = _roster(
            tmp_path,
            [
                volunteer_row(1, "张三", make_id("19900307", "451")),
                volunteer_row(2, "李四", make_id("19851120", "362"), grid=GRID_WEST),
            ],
        )
        result = VolunteerImporter(None).run(path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert result.imported, result.message
    assert result.counts["new"] == 2
    assert Volunteer.teams.through.objects.count() == 2
    assert VolunteerSkill.objects.count() == 4
    assert ServiceRecord.objects.count() == 2
