"""Send the pending Elasticsearch changes (the outbox) to the cluster now."""

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.backends.elasticsearch import FallbackCaseBackend


class Command(BaseCommand):
    help = "把待同步队列中的案件变更发送到 Elasticsearch（集群恢复后运行）"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=indexing.DRAIN_BATCH)

    def handle(self, *args, batch_size, **options):
        if not indexing._elasticsearch_enabled():
            raise CommandError(
                "未启用 Elasticsearch（SEARCH_BACKEND=elasticsearch 且设置 ELASTICSEARCH_URL），"
                "无需同步"
            )
        FallbackCaseBackend.reset()  # an explicit replay tries the cluster at once
        outcome = indexing.drain_outbox(batch_size=max(1, batch_size))
        self.stdout.write(f"已同步 {outcome.sent} 条，待同步 {outcome.left} 条")
        if outcome.error:
            raise CommandError(
                f"Elasticsearch 暂不可用，{outcome.left} 条变更留待下次同步：{outcome.error}"
            )
