"""Create the first admin account, printing its password exactly once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建管理员账号（若不存在），并仅此一次打印其密码"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"管理员账号 {username} 已存在（密码不再显示；忘记密码请运行 "
                f"python manage.py changepassword {username}）"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS("已创建管理员账号，请妥善保存，密码只显示这一次："))
        self.stdout.write("  后台地址：http://127.0.0.1:8000/admin/")
        self.stdout.write(f"  用户名：{username}")
        self.stdout.write(f"  密码：{password}")
