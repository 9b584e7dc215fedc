"""Development only: give the demo's staff accounts passwords so a new user can try each role.

``python manage.py demo_passwords`` sets a fresh random password on every demo
staff account that exists (editor, committee members, village staff, grid
worker, town admin) and prints them. It refuses (exit status 2) unless
``DEBUG`` is on and the production settings are not in use, because printed
passwords have no place on a live server.
"""

import secrets
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# (username, role as shown to the person trying it)
DEMO_ACCOUNTS = [
    ("demo_editor", "宣传编辑"),
    ("demo_jw_donghu", "村务监督委员会（东湖社区）"),
    ("demo_jw_xiling", "村务监督委员会（西岭村）"),
    ("demo_jw_nanping", "村务监督委员会（南坪村）"),
    ("demo_jw_beitang", "村务监督委员会（北塘社区）"),
    ("demo_village_staff", "村社区工作人员"),
    ("demo_grid_worker", "网格员"),
    ("demo_town_admin", "乡镇街道管理员"),
]


def refusal_reason():
    """Why the command may not run here (None when it may)."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if module.endswith("production"):
        return "生产环境配置下禁止使用本命令（demo_passwords 仅供本地开发试用演示账号）。"
    if not settings.DEBUG:
        return "仅在开发环境（DEBUG=True）下可用，本命令会把密码打印在屏幕上。"
    return None


class Command(BaseCommand):
    help = "仅限开发环境：为演示数据的工作人员账号设置随机密码并打印，便于逐个角色试用"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="为所有演示账号设置同一个密码（默认每个账号随机生成）"
        )

    def handle(self, *args, password=None, **options):
        reason = refusal_reason()
        if reason:
            self.stderr.write(reason)
            sys.exit(2)
        User = get_user_model()
        rows = []
        for username, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            secret = password or secrets.token_urlsafe(9)
            user.set_password(secret)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            rows.append((role, username, secret))
        if not rows:
            self.stderr.write("未找到演示账号，请先运行 python manage.py load_demo_data")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("演示账号密码（仅限开发环境试用）："))
        self.stdout.write("  后台地址：http://127.0.0.1:8000/admin/")
        for role, username, secret in rows:
            self.stdout.write(f"  {role}：用户名 {username}  密码 {secret}")
