"""Village-affairs disclosures (村务公开): page models, rules, compliance, review, listing, forms.

The models live in ``models.py`` but belong to the ``pages`` app (imported by
``portal.pages.models``), so app label and migrations are unchanged.
"""
