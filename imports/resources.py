"""django-import-export resources: the columns of each register's export, with Chinese headers.

The export headers are the importer's canonical headers, so an exported file
can be edited and imported back (volunteers only when the exporting user may
see full ID numbers — masked numbers cannot be imported). Values are
dehydrated the way people type them: choices by their Chinese names, lists
joined with 、, datetimes in local time.

Import does not go through these resources (see ``imports.importers.base`` for
why); ``bench/bench_import.py`` uses import-export's stock row-by-row import
as the baseline it measures against. So the grid and volunteer sheets are plain
``Resource`` classes: their columns are the fields declared on them, in order.
The case sheet's columns come from ``portal.cases.fields`` (``CaseResource``).
"""

from django.db.models import Prefetch, Sum
from django.utils import timezone
from import_export import fields, resources

from portal.cases import fields as case_fields
from portal.cases.models import Case
from portal.snippets.models import Grid, GridStaff, Volunteer
from portal.snippets.pii import decrypt_id_number

LIST_SEPARATOR = "、"
_CASE_HEADERS = {f.name: f.label for f in case_fields.SHEET}


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class GridResource(resources.Resource):
    code = fields.Field(attribute="code", column_name="网格编码")
    name = fields.Field(attribute="name", column_name="网格名称")
    town = fields.Field(column_name="所属乡镇（街道）")
    village = fields.Field(column_name="所属村（社区）")
    grid_type = fields.Field(column_name="网格类型")
    households = fields.Field(attribute="households", column_name="户数")
    population = fields.Field(attribute="population", column_name="人口数")
    leader = fields.Field(column_name="网格长")
    leader_phone = fields.Field(column_name="网格长电话")
    workers = fields.Field(column_name="专职网格员")
    coverage = fields.Field(attribute="coverage", column_name="覆盖范围")
    notes = fields.Field(attribute="notes", column_name="备注")

    @staticmethod
    def queryset():
        return Grid.objects.select_related("region__parent").prefetch_related(
            Prefetch("staff", queryset=GridStaff.objects.order_by("name"))
        )

    def dehydrate_town(self, grid):
        return grid.region.parent.name if grid.region.parent_id else ""

    def dehydrate_village(self, grid):
        return grid.region.name

    def dehydrate_grid_type(self, grid):
        return grid.get_grid_type_display()

    def _staff(self, grid, role):
        return [person for person in grid.staff.all() if person.role == role]

    def dehydrate_leader(self, grid):
        return LIST_SEPARATOR.join(p.name for p in self._staff(grid, GridStaff.Role.LEADER))

    def dehydrate_leader_phone(self, grid):
        leaders = self._staff(grid, GridStaff.Role.LEADER)
        return leaders[0].work_phone if leaders else ""

    def dehydrate_workers(self, grid):
        return LIST_SEPARATOR.join(p.name for p in self._staff(grid, GridStaff.Role.FULL_TIME))


class VolunteerResource(resources.Resource):
    name = fields.Field(attribute="name", column_name="姓名")
    gender = fields.Field(column_name="性别")
    id_number = fields.Field(column_name="身份证号")
    phone = fields.Field(attribute="phone", column_name="手机号码")
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期")
    political_status = fields.Field(column_name="政治面貌")
    grid = fields.Field(column_name="所属网格")
    teams = fields.Field(column_name="服务队伍")
    skills = fields.Field(column_name="专业特长")
    registration_date = fields.Field(attribute="registration_date", column_name="注册日期")
    hours = fields.Field(column_name="累计服务时长（小时）")
    notes = fields.Field(attribute="notes", column_name="备注")

    def __init__(self, *, full_id_numbers=False, **kwargs):
        super().__init__(**kwargs)
        self.full_id_numbers = full_id_numbers

    @staticmethod
    def queryset():
        return (
            Volunteer.objects.select_related("grid")
            .prefetch_related("teams", "tagged_skills__tag")
            .annotate(total_hours=Sum("service_records__hours"))
            .order_by("id")
        )

    def dehydrate_gender(self, volunteer):
        return volunteer.get_gender_display()

    def dehydrate_id_number(self, volunteer):
        if self.full_id_numbers:
            return decrypt_id_number(volunteer.id_number_encrypted)
        return volunteer.id_number_masked

    def dehydrate_political_status(self, volunteer):
        return volunteer.get_political_status_display()

    def dehydrate_grid(self, volunteer):
        return volunteer.grid.code

    def dehydrate_teams(self, volunteer):
        return LIST_SEPARATOR.join(sorted(team.name for team in volunteer.teams.all()))

    def dehydrate_skills(self, volunteer):
        return LIST_SEPARATOR.join(sorted(item.tag.name for item in volunteer.tagged_skills.all()))

    def dehydrate_hours(self, volunteer):
        total = getattr(volunteer, "total_hours", None)
        return float(total) if total is not None else 0


class CaseResource(resources.ModelResource):
    """The case sheet: the columns ``portal.cases.fields`` declares, in its order, under its headers.

    The importer reads the same declaration (``imports.importers.cases``), so a
    column added there is exported and imported under one header. Plain fields
    export as they are; the ``dehydrate_*`` methods below write choices, related
    objects and times the way people type them.
    """

    class Meta:
        model = Case
        fields = tuple(f.name for f in case_fields.SHEET)
        export_order = fields

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return fields.Field(attribute=field_name, column_name=_CASE_HEADERS[field_name])

    @staticmethod
    def queryset():
        return Case.objects.select_related("category", "grid").order_by("number")

    def dehydrate_category(self, case):
        return case.category.name

    def dehydrate_source(self, case):
        return case.get_source_display()

    def dehydrate_grid(self, case):
        return case.grid.code

    def dehydrate_reported_at(self, case):
        return _local(case.reported_at)

    def dehydrate_status(self, case):
        return case.get_status_display()

    def dehydrate_closed_at(self, case):
        return _local(case.closed_at)

    def dehydrate_satisfaction(self, case):
        return case.get_satisfaction_display() if case.satisfaction else ""

    def dehydrate_is_public(self, case):
        return "是" if case.is_public else "否"

    def dehydrate_deadline(self, case):
        return _local(case.deadline)
