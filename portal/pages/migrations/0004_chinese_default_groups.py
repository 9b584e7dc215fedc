"""Give Wagtail's default groups and workflow Chinese names (or drop the unused one).

Wagtail's own migrations create the groups "Editors" and "Moderators" and, from
Moderators' publish grant on the root page, the workflow and task
"Moderators approval". Staff read these names in the group list, the user
form and on the button "提交给Moderators approval", so a deployment must not
keep them in English.

* "Editors" duplicates the portal's 宣传编辑 role (``portal.groups``): it is
  deleted when nobody belongs to it (every fresh install), otherwise renamed
  to 内容编辑 so that no member silently loses a permission.
* "Moderators" approves the default workflow of the pages outside the
  disclosure boards (notices, policies), so it is kept with its permissions
  and renamed 内容审核员; the workflow and its task become 内容审核员审核.

Runs after every Wagtail migration that looks these groups up by their
English names. Reversible: the reverse renames back (and recreates an empty
"Editors" group if it was deleted).
"""

from django.db import migrations

GROUP_NAMES = {"Moderators": "内容审核员", "Editors": "内容编辑"}
WORKFLOW_NAMES = {"Moderators approval": "内容审核员审核"}


def to_chinese(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")

    editors = Group.objects.filter(name="Editors").first()
    if editors is not None and not editors.user_set.exists():
        editors.delete()
    for english, chinese in GROUP_NAMES.items():
        if not Group.objects.filter(name=chinese).exists():
            Group.objects.filter(name=english).update(name=chinese)
    for english, chinese in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=english).update(name=chinese)
        Task.objects.filter(name=english).update(name=chinese)


def to_english(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")

    for english, chinese in GROUP_NAMES.items():
        if not Group.objects.filter(name=english).exists():
            Group.objects.filter(name=chinese).update(name=english)
    Group.objects.get_or_create(name="Editors")
    for english, chinese in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=chinese).update(name=english)
        Task.objects.filter(name=chinese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_disclosure_rules"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
