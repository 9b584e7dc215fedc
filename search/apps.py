from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import synonyms
        from .models import SynonymGroup

        # Cache invalidation, not a business rule: signals also catch the admin's
        # bulk delete, which never calls SynonymGroup.delete().
        def drop_synonym_cache(**kwargs):
            synonyms.invalidate()

        post_save.connect(drop_synonym_cache, sender=SynonymGroup, weak=False)
        post_delete.connect(drop_synonym_cache, sender=SynonymGroup, weak=False)

        # Production only (settings.production): the segmenter's dictionaries load
        # with the process, not on the first search. Tests and dev start faster.
        from django.conf import settings

        if getattr(settings, "SEARCH_PRELOAD", False):
            from .analysis import preload

            preload()
