"""Export a register to .xlsx: Chinese headers, the user's scope only, nothing they may not see.

Rows are streamed through import-export's resource machinery
(``get_export_headers`` / ``iter_queryset`` / ``export_resource``) into a
write-only workbook, so memory stays flat for 10⁵ rows, and every text cell
passes ``spreadsheet.neutralise``. ID numbers are masked unless the user holds
``snippets.view_full_id_number``; an export with full numbers is written to
Wagtail's audit log, as every view of a full number is.
"""

from wagtail.log_actions import log

from portal.snippets.scope import restrict_to_scope

from .resources import CaseResource, GridResource, VolunteerResource
from .spreadsheet import append_safe, new_write_only_book, set_widths

FULL_ID_PERMISSION = "snippets.view_full_id_number"
EXPORT_FULL_ID_ACTION = "imports.export_full_id_numbers"

SHEET_TITLES = {"grids": "网格", "volunteers": "志愿者", "cases": "案件"}
REGION_FIELDS = {"grids": "region", "volunteers": "grid__region", "cases": "village"}


def resource_for(kind, user):
    if kind == "grids":
        return GridResource()
    if kind == "volunteers":
        full = user is not None and user.has_perm(FULL_ID_PERMISSION)
        return VolunteerResource(full_id_numbers=full)
    if kind == "cases":
        return CaseResource()
    raise ValueError(f"未知的数据类型：{kind}")


def scoped_queryset(kind, user, resource):
    queryset = resource.queryset()
    if user is None:  # trusted command-line run without --user
        return queryset
    return restrict_to_scope(queryset, user, REGION_FIELDS[kind])


def export_register(kind, user, out):
    """Write the register ``kind`` as the user may see it to ``out`` (path or file). Returns rows."""
    resource = resource_for(kind, user)
    queryset = scoped_queryset(kind, user, resource)
    book, sheet = new_write_only_book(SHEET_TITLES[kind])
    headers = resource.get_export_headers()
    set_widths(sheet, [max(10, len(h) * 2 + 2) for h in headers])
    sheet.append(headers)
    count = 0
    for instance in resource.iter_queryset(queryset):
        append_safe(sheet, resource.export_resource(instance))
        count += 1
    book.save(out)
    if getattr(resource, "full_id_numbers", False) and user is not None:
        log(
            instance=user,
            action=EXPORT_FULL_ID_ACTION,
            user=user,
            data={"kind": kind, "rows": count},
        )
    return count
