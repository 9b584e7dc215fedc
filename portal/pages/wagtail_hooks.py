"""Wagtail admin hooks of the pages app; each content area keeps its own hooks module."""

from portal.pages import disclosure_hooks  # noqa: F401  (registers the disclosure hooks)
