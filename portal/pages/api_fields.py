"""Serializer fields for the headless API (Wagtail API v2, ``api_fields`` on page models).

Wagtail's defaults serialise a related page as an id plus API links and a child
relation through its own ``api_fields``; a mini-program rendering a notice needs
something flatter and safer:

* a linked page (``superseded_by``, ``interprets``) is shown only while it is
  live, so the public API never reveals that a draft exists;
* attachments carry a download URL, extension and size, and a document whose
  file went missing from storage is still listed instead of failing the page;
* money is a string with two decimals, never a float.
"""

from rest_framework import serializers

from portal.pages.attachments import attachment_rows


def get_full_url(request, path):
    # Imported lazily: wagtail.api.v2.utils loads models, and this module is
    # imported while the page models are being defined.
    from wagtail.api.v2.utils import get_full_url as wagtail_full_url

    return wagtail_full_url(request, path)


def _request(field):
    return field.context.get("request")


def _page_link(request, page):
    # Same absolute form as Wagtail's own ``meta.html_url``.
    return {"id": page.id, "title": page.title, "html_url": page.get_full_url(request)}


class LivePageLinkField(serializers.Field):
    """A page referenced by a foreign key, as ``{id, title, html_url}``; null unless live."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        if not page.live:
            return None
        return _page_link(_request(self), page)


class LivePageListField(serializers.Field):
    """Live pages of a reverse relation (e.g. a policy's interpretations)."""

    def __init__(self, order_by=("-first_published_at", "-id"), **kwargs):
        kwargs["read_only"] = True
        self.order_by = order_by
        super().__init__(**kwargs)

    def to_representation(self, manager):
        request = _request(self)
        return [_page_link(request, page) for page in manager.live().order_by(*self.order_by)]


class AttachmentListField(serializers.Field):
    """Attachments as ``[{title, download_url, file_extension, file_size, available}]``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        request = _request(self)
        rows = []
        for row in attachment_rows(manager):
            rows.append(
                {
                    "title": row.title,
                    "download_url": get_full_url(request, row.url) if request else row.url,
                    "file_extension": row.extension,
                    "file_size": row.size,
                    "available": row.available,
                }
            )
        return rows


class RegionField(serializers.Field):
    """A region as ``{id, name, code, level}`` (public administrative data)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, region):
        return {"id": region.id, "name": region.name, "code": region.code, "level": region.level}


class FinanceItemsField(serializers.Field):
    """Income and spending lines of a finance disclosure; amounts as decimal strings."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [
            {
                "direction": item.direction,
                "direction_label": item.get_direction_display(),
                "item": item.item,
                "amount": f"{item.amount:.2f}",
                "note": item.note,
            }
            for item in manager.all()
        ]


def money_field():
    """A read-only amount rendered as a string with two decimals (no float rounding)."""
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, coerce_to_string=True
    )


class CatalogItemField(serializers.Field):
    """The disclosure catalog item a disclosure fulfils, as ``{id, name, frequency}``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, item):
        return {
            "id": item.id,
            "name": item.name,
            "frequency": item.frequency,
            "frequency_label": item.get_frequency_display(),
        }


def choice_label(method_name):
    """The Chinese label of a choice field, e.g. ``choice_label("get_kind_display")``."""
    return serializers.CharField(source=method_name, read_only=True)


def text_and_attachments():
    """The API fields a notice and a policy both end with: summary, body, attachments."""
    from wagtail.api import APIField

    return [
        APIField("summary"),
        APIField("body"),
        APIField("attachments", serializer=AttachmentListField()),
    ]
