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
* The tree's root page and the root collection, both "Root" (page explorer,
  choosers, group permissions), become 根目录; Wagtail's placeholder page
  "Welcome to your new Wagtail site!" (still there on a fresh install) becomes
  默认欢迎页.

Runs after every Wagtail migration that looks these groups up by their
English names. Reversible: the reverse renames back (and recreates an empty
"Editors" group if it was deleted).
"""

from django.db import migrations

GROUP_NAMES = {"Moderators": "内容审核员", "Editors": "内容编辑"}
WORKFLOW_NAMES = {"Moderators approval": "内容审核员审核"}
ROOT_TITLE = "根目录"
WELCOME = "Welcome to your new Wagtail site!"
WELCOME_TITLE = "默认欢迎页"


def to_chinese(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")

    editors = Group.objects.filter(name="Editors").first()
    if editors is not None and not editors.user_set.exists():
        editors.delete()
    for english, chinese in GROUP_NAMES.items():
        if not Group.objects.filter(name=chinese).exists():
            Group.objects.filter(name=english).update(name=chinese)
    for english, chinese in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=english).update(name=chinese)
        Task.objects.filter(name=english).update(name=chinese)
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Page.objects.filter(depth=2, title=WELCOME).update(title=WELCOME_TITLE, draft_title=WELCOME_TITLE)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_TITLE)


def to_english(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")

    for english, chinese in GROUP_NAMES.items():
        if not Group.objects.filter(name=english).exists():
            Group.objects.filter(name=chinese).update(name=english)
    Group.objects.get_or_create(name="Editors")
    for english, chinese in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=chinese).update(name=english)
        Task.objects.filter(name=chinese).update(name=english)
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")
    Page.objects.filter(depth=2, title=WELCOME_TITLE).update(title=WELCOME, draft_title=WELCOME)
    Collection.objects.filter(depth=1, name=ROOT_TITLE).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_disclosure_rules"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
