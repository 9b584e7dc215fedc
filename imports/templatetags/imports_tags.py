"""Template helpers of the import pages."""

from django import template

from ..importers import kind_labels

register = template.Library()


@register.filter
def import_kind_label(kind):
    """The Chinese name of an import kind (also for kinds ``ImportJob.Kind`` does not list)."""
    return kind_labels().get(kind, kind)
