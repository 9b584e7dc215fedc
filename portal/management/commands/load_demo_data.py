"""Build a believable demo site. Idempotent: running it twice changes nothing.

Each area owns its own demo module (``portal.<app>.demo``) with a ``load(stdout)``
function; this command only runs them in dependency order inside one transaction.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "portal.snippets.demo",  # regions, grids, staff, volunteers
    "portal.pages.demo",  # site tree, notices, disclosures, policies, groups, workflow
    "portal.cases.demo",  # case categories and cases
    "search.demo",  # synonyms, index rebuild
]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）"

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in DEMO_MODULES:
                try:
                    module = importlib.import_module(dotted)
                except ModuleNotFoundError as exc:
                    if exc.name == dotted:
                        continue
                    raise
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
