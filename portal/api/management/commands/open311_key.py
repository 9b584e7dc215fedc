"""python manage.py open311_key {create NAME | list | revoke NAME_OR_PREFIX}

Issues Open311 ``api_key``s to client applications (a mini-program, a county
platform). ``create`` prints the new key once: only its hash is stored.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.api.models import Open311Key
from portal.api.open311.keys import KeyProblem, find_key, issue_key, revoke_key


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = "签发、列出或吊销 Open311 接口的 api_key（每个应用一个密钥）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        create = sub.add_parser("create", help="为应用签发新密钥（只显示一次）")
        create.add_argument("name", help="应用名称，如：东湖社区微信小程序")
        sub.add_parser("list", help="列出全部密钥（不显示密钥本身）")
        revoke = sub.add_parser("revoke", help="吊销密钥")
        revoke.add_argument("name", help="应用名称或密钥前缀")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            try:
                key, raw = issue_key(options["name"])
            except KeyProblem as problem:
                raise CommandError(str(problem)) from None
            self.stdout.write(f"已为“{key.name}”签发 Open311 api_key（只显示这一次，请妥善保存）：")
            self.stdout.write(raw)
        elif action == "list":
            keys = Open311Key.objects.order_by("name")
            if not keys:
                self.stdout.write("尚未签发任何 Open311 api_key")
            for key in keys:
                state = f"已吊销 {_when(key.revoked_at)}" if key.revoked_at else "有效"
                self.stdout.write(
                    f"{key.name}\to311_{key.prefix}…\t{state}\t"
                    f"创建 {_when(key.created_at)}\t最近使用 {_when(key.last_used_at)}"
                )
        else:
            key = find_key(options["name"])
            if key is None:
                raise CommandError(f"没有找到应用名称或前缀为“{options['name']}”的密钥")
            if not revoke_key(key):
                raise CommandError(f"“{key.name}”的密钥已于 {_when(key.revoked_at)} 吊销")
            self.stdout.write(f"已吊销“{key.name}”的密钥（o311_{key.prefix}…）")
