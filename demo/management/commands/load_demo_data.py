"""Build a believable demo site. Idempotent: running it twice changes nothing.

Each area has its own module in this app (``demo.registers``, ``demo.pages``,
``demo.cases``, ``demo.search``) with a ``load(stdout)`` function; this command
only runs them in dependency order inside one transaction, between the first-run set-up steps of ``portal.setup`` (the same functions
``setup_portal`` runs): roles and workflows first, page permissions and the
disclosure workflows last.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import cases, pages, registers, search
from portal import setup

DEMO_MODULES = [
    registers,  # regions, grids, staff, volunteers
    pages,  # site tree, notices, disclosures, policies, groups, workflow
    cases,  # case categories and cases
    search,  # synonyms, index rebuild
]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）"

    def handle(self, *args, **options):
        try:
            self._load()
        except setup.SetupError as exc:
            raise CommandError(f"无法载入演示数据：{exc}") from None
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))

    def _load(self):
        with transaction.atomic():
            setup.ensure_roles()
            for module in DEMO_MODULES:
                module.load(self.stdout)
            setup.ensure_page_access()
