"""Sidebar filters of the admin case list.

Django's ``SimpleListFilter`` does the query-string plumbing; these subclasses
add what the stock field filters cannot: an overdue flag computed from the
deadline, a month of the reported time, and grid/village choices limited to the
user's regions (the stock related-field filter would list every grid of the
county to a village worker).
"""

from django.contrib.admin import SimpleListFilter

from portal.snippets.models import Grid, Region
from portal.snippets.scope import restrict_to_scope

from .queries import not_overdue, overdue
from .stats import in_month, last_months, parse_month


class OverdueFilter(SimpleListFilter):
    title = "是否超期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已超期"), ("no", "未超期")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return overdue(queryset)
        if self.value() == "no":
            return not_overdue(queryset)
        return queryset


class MonthFilter(SimpleListFilter):
    """Cases reported in one calendar month; the last twelve months are offered."""

    title = "上报月份"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [
            (f"{year:04d}-{month:02d}", f"{year}年{month}月")
            for year, month in reversed(last_months(12))
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            parse_month(value)
        except ValueError:
            # A hand-edited URL: show nothing rather than everything or an error page.
            return queryset.none()
        return in_month(queryset, value)


class _ScopedIdFilter(SimpleListFilter):
    """A filter on a foreign key whose choices are limited to the user's regions."""

    field = None

    def choices_queryset(self, request):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(obj.pk), str(obj)) for obj in self.choices_queryset(request)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not str(value).isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.field}_id": int(value)})


class GridFilter(_ScopedIdFilter):
    title = "所属网格"
    parameter_name = "grid"
    field = "grid"

    def choices_queryset(self, request):
        return restrict_to_scope(Grid.objects.order_by("code"), request.user, "region")


class VillageFilter(_ScopedIdFilter):
    title = "所属村（社区）"
    parameter_name = "village"
    field = "village"

    def choices_queryset(self, request):
        villages = Region.objects.filter(level=Region.Level.VILLAGE).order_by("sort_order", "name")
        return restrict_to_scope(villages, request.user, "id")
