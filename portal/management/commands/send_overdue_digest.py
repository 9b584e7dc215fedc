"""Daily email to each staff user of their overdue items (``portal.digest`` sources).

Run once a day (cron/systemd timer): ``python manage.py send_overdue_digest``.
``--dry-run`` prints what would be sent; ``--user NAME`` limits to one account.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from portal import digest, notify


class Command(BaseCommand):
    help = "给每位工作人员发送逾期事项日报（逾期询问、待审核公开内容、逾期案件）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示将发送的内容，不发送")
        parser.add_argument("--user", help="只处理这个用户名")

    def handle(self, *args, dry_run=False, user=None, **options):
        now = timezone.now()
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        if user:
            users = users.filter(username=user)
            if not users.exists():
                raise CommandError(f"没有找到有邮箱的有效用户“{user}”")
        sent = 0
        for account in users.order_by("pk"):
            sections = digest.sections_for(account, now)
            if not sections:
                continue
            context = {"user": account, "sections": sections, "today": timezone.localdate(now)}
            if dry_run:
                subject, body = notify.render_message("overdue_digest", context)
                self.stdout.write(
                    f"—— {account.get_username()} <{account.email}>：{subject}\n{body}"
                )
            else:
                with transaction.atomic():
                    notify.notify_template([account.email], "overdue_digest", context)
            sent += 1
        verb = "将发送" if dry_run else "已发送"
        self.stdout.write(f"逾期事项日报：{verb} {sent} 封。")
