"""Chinese full-text search for the portal (app label ``portal_search``).

- ``analysis``: normalisation and jieba segmentation shared by every index and query;
- ``query``: a parsed query (terms, synonyms) and its FTS5 / tsquery / Elasticsearch forms;
- ``backends``: the case index, embedded (SQLite FTS5 / PostgreSQL tsvector) or Elasticsearch;
- ``indexing``: the entry points case writes call inside their transaction;
- ``service``/``params``: who may see what, and request checking, for page, API and admin;
- ``wagtail_backend``: the Wagtail search backend for pages, documents and snippets.
"""
