"""``manage.py rebuild_search_index [--backend embedded|elasticsearch] [--workers N]``."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.backends import BACKEND_NAMES
from search.backends.embedded import EmbeddedCaseBackend, index_workers


class Progress:
    """A progress bar on a terminal; a plain line every 10 % otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, stream, label, is_tty):
        self.stream = stream
        self.label = label
        self.is_tty = is_tty
        self.started = time.monotonic()
        self.last_decile = -1

    def __call__(self, done, total):
        fraction = done / total if total else 1.0
        elapsed = time.monotonic() - self.started
        if self.is_tty:
            filled = int(fraction * self.WIDTH)
            bar = "█" * filled + "·" * (self.WIDTH - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {fraction:6.1%} {done}/{total} 件 {elapsed:5.1f} 秒",
                ending="",
            )
            self.stream.flush()
            return
        decile = int(fraction * 10)
        if decile != self.last_decile:
            self.last_decile = decile
            self.stream.write(
                f"{self.label}：{done}/{total} 件（{fraction:.0%}），{elapsed:.1f} 秒"
            )

    def close(self):
        if self.is_tty:
            self.stream.write("")


class Command(BaseCommand):
    help = "重建案件检索索引（内置全文索引或 Elasticsearch）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=BACKEND_NAMES,
            default=None,
            help="要重建的索引，默认取 SEARCH_BACKEND 设置",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="分词进程数（内置索引），默认取 SEARCH_INDEX_WORKERS 设置或 CPU 核数（最多 4）",
        )

    def handle(self, *args, backend=None, workers=None, **options):
        name = backend or settings.SEARCH_BACKEND
        workers = index_workers() if workers is None else workers
        if workers < 1:
            raise CommandError("--workers 必须是正整数")
        if name == "elasticsearch":
            if not settings.ELASTICSEARCH_URL:
                raise CommandError("未设置 ELASTICSEARCH_URL，无法重建 Elasticsearch 索引")
            from search.backends.elasticsearch import UNAVAILABLE, ElasticsearchCaseBackend

            engine, label, unavailable = (
                ElasticsearchCaseBackend(),
                "Elasticsearch 索引",
                UNAVAILABLE,
            )
        else:
            engine, label, unavailable = EmbeddedCaseBackend(), "内置全文索引", ()

        progress = Progress(self.stdout, label, self.stdout.isatty())
        started = time.monotonic()
        try:
            count = engine.rebuild(progress=progress, workers=workers)
        except unavailable as error:
            raise CommandError(f"Elasticsearch 不可用，索引未重建：{error}") from error
        finally:
            progress.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{label}已重建：{count} 件案件，用时 {time.monotonic() - started:.1f} 秒"
            )
        )
