"""python manage.py import_data KIND FILE [--dry-run] [--skip-invalid] [--json]

KIND: grids, volunteers, cases, services (志愿服务记录; also service_records), points.
Cases: ``--allow-new-categories`` creates the categories the catalog lacks,
``--map-category 旧=新`` (repeatable) reads a category as an existing one.

Exit status 0 when the file was imported (or, with --dry-run, would be),
1 when it was refused, 2 when the path cannot be read (missing, a folder,
no permission, locked by another program); --json prints one JSON summary on
stdout.
"""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from imports import jobs
from imports.importers import IMPORTERS, KIND_ALIASES, can_import, importer_for
from imports.reports import write_error_report

from ._paths import BadPath, FileCommand, check_readable, check_writable, describe_os_error

EXIT_REFUSED = 1


class ProgressBar:
    """A one-line progress bar on a terminal (stderr); silent when not a TTY."""

    def __init__(self, stream):
        self.stream = stream
        self.enabled = stream.isatty()
        self.shown = False

    def __call__(self, stage, done, total):
        if not self.enabled:
            return
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "█" * filled + "·" * (width - filled)
            text = f"\r{stage:　<6} [{bar}] {done}/{total}"
        else:
            text = f"\r{stage}…" + " " * 40
        self.stream.write(text)
        self.stream.flush()
        self.shown = True

    def finish(self):
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


class Command(FileCommand):
    help = "从 Excel（.xlsx/.xls）或 CSV 文件批量导入网格、志愿者或案件"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted({*IMPORTERS, *KIND_ALIASES}), help="数据类型")
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="跳过有错误的行，导入其余各行"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果摘要")
        parser.add_argument(
            "--user",
            help="以该用户的身份和辖区导入（不填则不受辖区限制）",
        )
        parser.add_argument(
            "--error-report",
            metavar="OUT.xlsx",
            help="把被拒绝的行及原因（以及带提示的行）写入该文件",
        )
        parser.add_argument(
            "--allow-new-categories",
            action="store_true",
            help="案件：系统中没有的事件类别在导入时新建（默认办理时限 15 天，可在后台修改）",
        )
        parser.add_argument(
            "--map-category",
            action="append",
            default=[],
            metavar="旧=新",
            help="案件：把表中的事件类别对应到系统中已有的类别，可重复使用",
        )

    def _importer_options(self, options):
        mapping = {}
        for item in options["map_category"]:
            old, sep, new = item.replace("＝", "=").partition("=")
            if not sep or not old.strip() or not new.strip():
                raise BadPath(f"--map-category 的格式应为“表中类别=已有类别”，而不是“{item}”")
            mapping[old.strip()] = new.strip()
        importer_options = {}
        if options["allow_new_categories"]:
            importer_options["allow_new_categories"] = True
        if mapping:
            importer_options["category_map"] = mapping
        return importer_options

    def _handle(self, options):
        options["kind"] = KIND_ALIASES.get(options["kind"], options["kind"])
        check_readable(options["file"])
        if options["error_report"]:
            check_writable(options["error_report"])
        importer_options = self._importer_options(options)
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户“{options['user']}”不存在") from None
            if not can_import(user, options["kind"]):
                raise CommandError(f"用户“{user.username}”没有导入该类数据的权限")
        progress = ProgressBar(sys.stderr)
        importer = importer_for(options["kind"])(
            user,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            progress=progress,
            options=importer_options,
        )
        try:
            result = importer.run(options["file"])
        except OSError as exc:  # e.g. the file vanished or was locked while being read
            raise BadPath(describe_os_error(options["file"], exc)) from None
        finally:
            progress.finish()
        if not result.dry_run or result.refused:
            try:
                jobs.record_command_run(
                    kind=options["kind"], user=user, path=options["file"], result=result
                )
            except Exception as exc:  # the history must not turn a good import into a failure
                self.stderr.write(f"警告：未能写入导入记录：{exc}")
        if options["error_report"] and (result.refused_rows or result.warning_rows):
            write_error_report(options["file"], result.file_name, result, options["error_report"])

        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
        else:
            self._print(result)
        if result.refused:
            sys.exit(EXIT_REFUSED)

    def _print(self, result):
        counts = result.as_dict()["counts"]
        summary = (
            f"新增 {counts['new']}，更新 {counts['updated']}，未变化 {counts['unchanged']}，"
            f"错误 {counts['errors']}，跳过 {counts['skipped']}"
        )
        for error in result.errors:
            self.stderr.write(str(error))
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")
        for message, count in sorted(result.warning_counts.items()):
            self.stdout.write(f"提示汇总：{message}，共 {count} 行")
        if result.unknown_columns:
            names = "、".join(f"{c['column']}列“{c['header']}”" for c in result.unknown_columns)
            self.stdout.write(f"已忽略不认识的列：{names}")
        for region in result.new_regions:
            self.stdout.write(f"新建{region['level']}：{region['parent']} / {region['name']}")
        if result.refused:
            self.stderr.write(f"未导入：{result.message}（{summary}）")
        elif result.dry_run:
            self.stdout.write(f"检查通过（试运行，未写入）：{summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：{summary}"))
