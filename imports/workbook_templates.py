"""Downloadable import templates (.xlsx), one per register.

Sheet 1 holds the header row (required columns shaded), one example row, and
dropdowns (openpyxl ``DataValidation``) for the columns with fixed choices:
gender, political status, grid codes (only the grids in the user's scope),
category, source, status, satisfaction. ID-number and phone columns are
formatted as text so that Excel keeps every digit. Long option lists live on a
hidden "选项" sheet, because an inline list may not exceed 255 characters.
Sheet 2 explains each column.
"""

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from portal.cases.models import Case, CaseCategory
from portal.snippets.models import Grid, GridStaff, Region, Volunteer
from portal.snippets.pii import id_check_code
from portal.snippets.scope import restrict_to_scope

from .importers import importer_for
from .importers.gridref import grid_choice_label
from .spreadsheet import neutralise, neutralise_workbook, set_widths, style_header

# Rows of the template that carry the dropdowns.
VALIDATED_ROWS = 5000
TEXT_COLUMNS = {"id_number", "phone", "leader_phone", "reporter_phone", "code", "grid", "number"}
TITLES = {"grids": "网格台账", "volunteers": "志愿者花名册", "cases": "案件台账"}
TITLES["grid_staff"] = "网格工作人员名册"
TITLES["regions"] = "行政区划"
TEXT_COLUMNS = TEXT_COLUMNS | {"work_phone", "parent_code", "worker_phones", "part_timer_phones",
                               "instructor_phones"}  # fmt: skip
TITLES["services"] = "志愿服务记录"
TITLES["points"] = "积分记录"
TITLES["care_objects"] = "关爱对象名册"


def _example_id_number():
    first17 = "11010119900307451"
    return first17 + id_check_code(first17)


def _choices(kind, user):
    """column key → list of allowed texts for this user."""
    grids = Grid.objects.order_by("code")
    if user is not None:
        grids = restrict_to_scope(grids, user, "region")
    # "东湖社区第一网格（411523001001001）": the name for whoever fills the sheet, the
    # code for the importer (``importers.gridref.clean_grid_cell``).
    grid_codes = [
        grid_choice_label(name, code)
        for name, code in grids.values_list("name", "code")[:VALIDATED_ROWS]
    ]
    if kind == "points":
        from portal.snippets.models import PointsEntry

        return {"kind": [str(label) for _v, label in PointsEntry.Kind.choices]}
    if kind == "services":
        return {}
    if kind == "volunteers":
        return {
            "gender": [str(label) for _v, label in Volunteer.Gender.choices],
            "political_status": [str(label) for _v, label in Volunteer.PoliticalStatus.choices],
            "grid": grid_codes,
        }
    if kind == "grids":
        return {"grid_type": [str(label) for _v, label in Grid.GridType.choices]}
    if kind == "grid_staff":
        return {
            "role": [str(label) for _v, label in GridStaff.Role.choices],
            "grid": grid_codes,
            "party_member": ["是", "否"],
        }
    if kind == "care_objects":
        from portal.care.models import CareKind

        return {"kind": [str(label) for _v, label in CareKind.choices], "grid": grid_codes}
    if kind == "regions":
        return {"level": [str(label) for _v, label in Region.Level.choices]}
    return {
        "category": list(CaseCategory.objects.order_by("name").values_list("name", flat=True)),
        "source": [str(label) for _v, label in Case.Source.choices],
        "status": [str(label) for _v, label in Case.Status.choices],
        "satisfaction": [str(label) for _v, label in Case.Satisfaction.choices],
        "is_public": ["是", "否"],
        "grid": grid_codes,
    }


def _example(kind, column, choices):
    if column.key == "id_number":
        return _example_id_number()
    if column.key == "grid":
        codes = choices.get("grid") or []
        return codes[0] if codes else ""
    if column.key == "category":
        names = choices.get("category") or []
        return names[0] if names else ""
    if column.key == "seq":
        return 1
    return column.example


def build_template(kind, user):
    """A ``Workbook`` ready to save."""
    columns = [col for col in importer_for(kind).columns]
    choices = _choices(kind, user)
    book = Workbook()
    sheet = book.active
    sheet.title = TITLES[kind]
    sheet.append([col.header for col in columns])
    sheet.append([neutralise(_example(kind, col, choices)) for col in columns])
    style_header(sheet, required={col.header for col in columns if col.required})
    sheet.freeze_panes = "A2"
    set_widths(sheet, [max(10, len(col.header) * 2 + 4) for col in columns])

    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    option_column = 0
    last_row = VALIDATED_ROWS + 1
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        note = ("必填。" if col.required else "") + (col.help or "")
        if note:
            cell.comment = Comment(note, "系统")
        if col.key in TEXT_COLUMNS:
            for row in range(2, last_row + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        allowed = choices.get(col.key)
        if not allowed:
            continue
        option_column += 1
        option_letter = get_column_letter(option_column)
        options.cell(row=1, column=option_column, value=col.header)
        for offset, text in enumerate(allowed, start=2):
            options.cell(row=offset, column=option_column, value=text)
        source = (
            f"{quote_sheetname(options.title)}!${option_letter}$2:"
            f"${option_letter}${len(allowed) + 1}"
        )
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=not col.required,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=f"请从下拉列表中选择{col.header}",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last_row}")

    guide = book.create_sheet("填写说明")
    guide.append(["列名", "是否必填", "说明", "也可使用的列名"])
    for col in columns:
        guide.append(
            [
                col.header,
                "必填" if col.required else "",
                col.help or ("不导入，仅供核对" if col.ignored else ""),
                "、".join(col.synonyms),
            ]
        )
    guide.append([])
    guide.append(
        [
            "表头上方可以保留标题行和“填报单位”行；空行和“合计”行会被忽略；不认识的列会被忽略并在预览中列出。"
        ]
    )
    guide.append(["单元格中不能含有公式；身份证号请以文本格式填写，避免末尾数字丢失。"])
    style_header(guide)
    set_widths(guide, [22, 10, 40, 50])
    return neutralise_workbook(book)  # grid codes and category names come from the database
