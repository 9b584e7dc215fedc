"""``{% load xml_text %}{{ value|xml_safe }}`` for XML templates (sitemap, feeds)."""

from django import template

from portal.security.xmltext import xml_safe as _xml_safe

register = template.Library()


@register.filter
def xml_safe(value):
    """Drop the characters XML 1.0 forbids (escaping stays Django's autoescape)."""
    if value is None:
        return ""
    return _xml_safe(value)
