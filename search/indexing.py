"""Entry points the case services call to keep the case index in step.

Placeholder until the search app provides the embedded index (issue: Chinese
full-text search); the search work replaces these bodies.
"""


def cases_changed(case_ids):
    """Re-index these cases inside the caller's transaction."""


def cases_deleted(case_ids):
    """Remove these cases from the index inside the caller's transaction."""
