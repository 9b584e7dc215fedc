"""The case fixtures (regions, grids, categories, staff) for the resident-report crawl."""

from tests.cases.conftest import categories, tree, users  # noqa: F401
