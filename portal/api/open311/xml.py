"""GeoReport v2 XML output: ``<services><service>…``, ``<service_requests><request>…``."""

from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer

from portal.security.xmltext import xml_safe


def _append(parent, key, value):
    element = ElementTree.SubElement(parent, key)
    if isinstance(value, dict):
        for child_key, child_value in value.items():
            _append(element, child_key, child_value)
    elif isinstance(value, list):
        # Lists nest under a singular element name (endpoints → endpoint, formats → format).
        item_name = key[:-1] if key.endswith("s") else "item"
        for item in value:
            _append(element, item_name, item)
    elif value is None:
        pass
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        # Case text and echoed parameters may hold NUL or \x0b: never let them break XML.
        element.text = xml_safe(value)


def to_xml(root_name, item_name, data):
    """Serialise a list of dicts (or one dict when ``item_name`` is None)."""
    root = ElementTree.Element(root_name)
    if item_name is None:
        for key, value in data.items():
            _append(root, key, value)
    else:
        for item in data:
            _append(root, item_name, item)
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is not None and response.status_code >= 400:
            return to_xml("errors", "error", data)
        return to_xml(view.xml_root, view.xml_item, data)
