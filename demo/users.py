"""Demo staff accounts, one per role that uses the registers, assigned to regions.

Passwords are unusable: the accounts show the scoping at work (an admin can
set a password with ``manage.py changepassword``), they are not a way in.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo import regions as demo_regions
from portal import groups
from portal.snippets.models import StaffRegion

# (username, display name, group, region name: None = the demo town)
DEMO_STAFF = [
    ("demo_town_admin", "街道管理员", groups.TOWN_ADMIN, None),
    ("demo_village_staff", "东湖社区工作人员", groups.VILLAGE_STAFF, "东湖社区"),
    ("demo_grid_worker", "西岭村网格员", groups.GRID_WORKER, "西岭村"),
]


def load(stdout):
    user_model = get_user_model()
    town = demo_regions.demo_town()
    villages = {v.name: v for v in demo_regions.demo_villages()}
    for username, display, group_name, region_name in DEMO_STAFF:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": display, "is_staff": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        region = villages[region_name] if region_name else town
        StaffRegion.objects.get_or_create(user=user, region=region)
    stdout.write(f"演示工作人员账号：{len(DEMO_STAFF)} 个（密码不可用）")
