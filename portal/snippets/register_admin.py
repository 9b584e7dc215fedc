"""The common ground of every register's admin viewset (snippets and care alike).

A register searches with the database (not a Wagtail search backend), opens
each row from its first column, and reads the rows it lists with their related
objects in the same query.
"""

from wagtail.admin.ui.tables import TitleColumn

from .admin_scope import ScopedSnippetViewSet


class RegisterViewSet(ScopedSnippetViewSet):
    """A ``ScopedSnippetViewSet`` with the registers' defaults.

    ``title`` is the (field, label) of the first column, linking to the row's
    ``title_view`` (``"edit"``; ``"inspect"`` for records that are never typed);
    ``columns`` follow it. A viewset that sets ``list_display`` itself ignores
    both. ``related`` names the ``select_related`` lookups of the index.
    """

    search_backend_name = None
    title = None
    title_view = "edit"
    columns = []
    related = ()

    @property
    def list_display(self):
        if self.title is None:
            return self.UNDEFINED
        field, label = self.title
        link = TitleColumn(field, label=label, url_name=self.get_url_name(self.title_view))
        return [link, *self.columns]

    def get_base_queryset(self, request):
        rows = self.model._default_manager.all()
        return rows.select_related(*self.related) if self.related else rows
