"""python manage.py export_data {grids,volunteers,cases} OUT.xlsx [--user USERNAME]"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from imports import jobs
from imports.exporting import export_register

from ._paths import BadPath, FileCommand, check_writable, describe_os_error


class Command(FileCommand):
    help = "把网格、志愿者或案件导出为 Excel（.xlsx），表头为中文"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["grids", "volunteers", "cases"], help="数据类型")
        parser.add_argument("out", help="输出文件（.xlsx）")
        parser.add_argument(
            "--user",
            help="只导出该用户辖区内、其有权查看的数据（不填则导出全部，身份证号打码）",
        )

    def _handle(self, options):
        check_writable(options["out"])
        if not options["out"].lower().endswith(".xlsx"):
            raise CommandError("输出文件名须以 .xlsx 结尾")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户“{options['user']}”不存在") from None
            if not jobs.can_export(user, options["kind"]):
                raise CommandError(f"用户“{user.username}”没有查看该类数据的权限")
        try:
            count = export_register(options["kind"], user, options["out"])
        except OSError as exc:
            raise BadPath(describe_os_error(options["out"], exc)) from None
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 行到 {options['out']}"))
