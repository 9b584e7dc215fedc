"""Daily: mail the grid leaders and towns about overdue care visits (see ``care.warnings``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.care.warnings import send_visit_warnings


class Command(BaseCommand):
    help = "向网格长发送走访逾期提醒，向乡镇/街道发送连续两个周期未走访提醒（同一天不重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD") from exc
        else:
            today = timezone.localdate()
        run = send_visit_warnings(today)
        for level, recipients, count in run.messages:
            label = "逾期" if level == "overdue" else "连续两个周期未走访"
            self.stdout.write(f"已发送{label}提醒：{count}名关爱对象 → {'、'.join(recipients)}")
        if run.skipped:
            self.stdout.write(f"今日已提醒过的 {run.skipped} 条不再重复发送")
        if run.unaddressed:
            self.stdout.write(
                self.style.WARNING(
                    f"{run.unaddressed} 条提醒没有收件人（网格长或乡镇/街道未登记邮箱账号）"
                )
            )
        if not run.messages and not run.skipped and not run.unaddressed:
            self.stdout.write(f"{today:%Y-%m-%d} 没有逾期未走访的关爱对象")
