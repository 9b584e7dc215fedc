"""What invalidates the page cache: every change a public page or register can show.

Pages: Wagtail's publish, unpublish, move and slug-change signals (revision
approval in a workflow ends in a publish, so it arrives as ``page_published``),
deletes of any page, and view-restriction changes (they change ``.public()``).
Drafts do not invalidate: nothing public changes until they are published.

Registers and catalog: saves and deletes of the models in ``WATCHED_MODELS``.
Cases: only when the case is public now or was public before the save.

Bulk writes send no signals: the importer and any ``QuerySet.update`` call
``portal.pagecache.invalidate()`` themselves.
"""

from django.apps import apps
from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import frontend
from .keys import invalidate

# app_label.ModelName of everything shown on a public page or register.
WATCHED_MODELS = (
    "snippets.Region",
    "snippets.Grid",
    "snippets.GridStaff",
    "pages.DisclosureCatalogItem",
    "cases.CaseCategory",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtaildocs.Document",
    "wagtailimages.Image",
)
CASE_MODEL = "cases.Case"


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _on_page_change(sender, instance=None, **kwargs):
    invalidate(f"page {getattr(instance, 'pk', '')}")
    if instance is not None:
        frontend.purge_around(instance)


def _on_page_move(sender, instance, **kwargs):
    invalidate(f"page {instance.pk} moved")
    frontend.purge_around(instance, include_page=True)


def _on_page_save(sender, instance, created=False, update_fields=None, **kwargs):
    """A live page saved whole (created live by code, or edited outside the admin).

    ``save_revision`` saves with ``update_fields`` and publishing arrives as
    ``page_published``; neither invalidates here, so drafts cost nothing.
    """
    if instance.live and (created or update_fields is None):
        invalidate(f"page {instance.pk} saved")


def _on_page_delete(sender, instance, **kwargs):
    invalidate(f"page {instance.pk} deleted")
    if instance.live:
        frontend.purge_around(instance, include_page=True)


def _on_watched_change(sender, instance, **kwargs):
    invalidate(f"{sender._meta.label} {instance.pk}")


def _on_m2m_change(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        invalidate(f"{sender._meta.label} {action}")


def _remember_case_publicity(sender, instance, raw=False, **kwargs):
    """Before a case save: was it public? (a case leaving the public side invalidates too)."""
    instance._pagecache_was_public = bool(
        instance.pk and sender.objects.filter(pk=instance.pk, is_public=True).exists()
    )


def _on_case_save(sender, instance, **kwargs):
    if instance.is_public or getattr(instance, "_pagecache_was_public", False):
        invalidate(f"case {instance.pk}")


def _on_case_delete(sender, instance, **kwargs):
    if instance.is_public:
        invalidate(f"case {instance.pk} deleted")


def _on_setting_changed(setting=None, **kwargs):
    # Tests and override_settings: a page rendered under other settings is stale.
    invalidate("settings")
    if setting == "ROOT_URLCONF":
        from .middleware import view_name

        view_name.cache_clear()


def connect():
    from wagtail.models import Page

    for signal in (page_published, page_unpublished, page_slug_changed):
        signal.connect(_on_page_change, dispatch_uid=f"pagecache-{id(signal)}")
    post_page_move.connect(_on_page_move, dispatch_uid="pagecache-move")
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    for model in apps.get_models():
        if issubclass(model, Page):
            post_delete.connect(_on_page_delete, sender=model, dispatch_uid="pagecache-page-del")
            post_save.connect(_on_page_save, sender=model, dispatch_uid="pagecache-page-save")
        elif issubclass(model, BaseGenericSetting | BaseSiteSetting):
            # Site settings reach every page through the settings context processor.
            post_save.connect(_on_watched_change, sender=model, dispatch_uid="pagecache-save")
    for label in WATCHED_MODELS:
        model = _model(label)
        if model is None:
            continue
        post_save.connect(_on_watched_change, sender=model, dispatch_uid="pagecache-save")
        post_delete.connect(_on_watched_change, sender=model, dispatch_uid="pagecache-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m_change, sender=field.remote_field.through, dispatch_uid="pagecache-m2m"
            )
    case = _model(CASE_MODEL)
    if case is not None:
        pre_save.connect(_remember_case_publicity, sender=case, dispatch_uid="pagecache-case-pre")
        post_save.connect(_on_case_save, sender=case, dispatch_uid="pagecache-case-save")
        post_delete.connect(_on_case_delete, sender=case, dispatch_uid="pagecache-case-del")
    setting_changed.connect(_on_setting_changed, dispatch_uid="pagecache-settings")
