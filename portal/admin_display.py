"""How the admin shows people, permissions and Wagtail's own columns to Chinese staff.

Wagtail and Django assume Western conventions in a few places that no
translation catalogue can reach, because the text is built in code or stored
in the database:

* ``User.get_full_name()`` is "first last" ("晓梅 李"); every Wagtail screen
  (user listing, page history, workflow history, audit log, "locked by …")
  goes through it, so it is replaced once with the Chinese order (李晓梅).
* Django stores each permission's name in English at ``migrate`` time
  ("Can add 案件"); Wagtail's group form shows them. They are renamed to
  Chinese (可添加案件) after every migration.
* Wagtail's site listing labels three columns from attribute names ("Port",
  "Site name", "Root page"), bypassing gettext; they get the model fields'
  translated verbose names; the workflow form's content-type and page fields
  and the group form's page field have no label at all and get one.

``install()`` runs from ``PortalConfig.ready()``.
"""

import re

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils import translation
from django.utils.text import capfirst

_CJK = re.compile(r"[\u3400-\u9fff]")

ACTION_LABELS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看"}


def chinese_full_name(user):
    """Family name first and no space for Chinese names (李晓梅); "First Last" otherwise."""
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def _get_full_name(self):
    return chinese_full_name(self)


def chinese_permission_name(permission):
    """The Chinese name of a permission, or None when there is none to give."""
    model = permission.content_type.model_class()
    if model is not None:
        for action in model._meta.default_permissions:
            if permission.codename == f"{action}_{model._meta.model_name}":
                prefix = ACTION_LABELS.get(action)
                if prefix:
                    return f"{prefix}{model._meta.verbose_name}"
    translated = translation.gettext(permission.name)
    return translated if translated != permission.name else None


def rename_permissions(using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate: give every permission still named in English its Chinese name."""
    from django.contrib.auth.models import Permission

    with translation.override(settings.LANGUAGE_CODE):
        english = [
            p
            for p in Permission.objects.using(using).select_related("content_type")
            if p.name.startswith("Can ") or not _CJK.search(p.name)
        ]
        changed = []
        for permission in english:
            name = chinese_permission_name(permission)
            if name and name != permission.name and len(name) <= 255:
                permission.name = str(name)
                changed.append(permission)
        Permission.objects.using(using).bulk_update(changed, ["name"])
    return len(changed)


def _label_site_columns():
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in {"port", "site_name", "root_page"}:
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def _label_workflow_content_types():
    from wagtail.admin.forms.workflows import WorkflowContentTypeForm, WorkflowPageForm

    WorkflowContentTypeForm.base_fields["content_types"].label = "内容类型"
    WorkflowPageForm.base_fields["page"].label = "页面"


def _label_group_page_permissions():
    from wagtail.users.forms import PagePermissionsForm

    PagePermissionsForm.base_fields["page"].label = "页面"


def install():
    from django.contrib.auth.models import User

    User.get_full_name = _get_full_name
    _label_site_columns()
    _label_workflow_content_types()
    _label_group_page_permissions()
    post_migrate.connect(rename_permissions, dispatch_uid="portal.admin_display.permissions")
