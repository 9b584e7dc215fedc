"""python manage.py setup_portal --name 浉河区 --code 411502 [--level county|town] [--county NAME]

The first-run step of a real install (see README "第一天"): staff groups and
permissions, the grid and disclosure workflows, the root of the region tree,
the home page with its sections and the Wagtail site. Idempotent: a second run
changes nothing and says so. Run it again without arguments after importing
the grid register to give new villages their disclosure boards.

Exit status 0 on success, 2 with a Chinese message on bad arguments.
"""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from portal.setup import SetupError, run_setup

EXIT_BAD_ARGUMENTS = 2


class Command(BaseCommand):
    help = "首次设置门户：用户组与权限、审核流程、本区县（或乡镇街道）、首页和栏目（可重复运行）"

    def add_arguments(self, parser):
        # Validated in handle(), not by argparse, so that every message is Chinese.
        parser.add_argument("--name", default="", help="区县（或乡镇、街道）名称，例如 浉河区")
        parser.add_argument(
            "--code", default="", help="行政区划代码：区县6位（如 411502），乡镇街道9位"
        )
        parser.add_argument(
            "--level", default="county", help="county（区县，默认）或 town（乡镇/街道）"
        )
        parser.add_argument(
            "--county", default="", help="以乡镇（街道）为门户且区县尚未登记时，所属区县的名称"
        )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            sys.stderr.write(
                f"参数有误（{message}）。用法：python manage.py setup_portal "
                "--name 浉河区 --code 411502 [--level county|town] [--county 区县名称]\n"
            )
            sys.exit(EXIT_BAD_ARGUMENTS)

        parser.error = error
        return parser

    def handle(self, *args, **options):
        name, code = options["name"].strip(), options["code"].strip()
        try:
            if bool(name) != bool(code):
                missing = "--code（行政区划代码）" if name else "--name（名称）"
                raise SetupError(f"请同时填写名称和区划代码：缺少 {missing}")
            report = run_setup(name, code, options["level"], options["county"])
        except SetupError as exc:
            self.stderr.write(f"未完成设置：{exc}")
            sys.exit(EXIT_BAD_ARGUMENTS)
        except DatabaseError as exc:
            self.stderr.write(
                f"未完成设置：数据库不可用或尚未初始化（{exc}）。请先运行 python manage.py migrate"
            )
            sys.exit(EXIT_BAD_ARGUMENTS)
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("门户设置完成"))
