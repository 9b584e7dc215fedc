"""Admin forms of the disclosure pages.

Wagtail builds the page edit form from the panels; these subclasses add the two
things a generic form cannot know: the village a new disclosure belongs to (its
parent index, before the page exists) and row-numbered messages for the finance
table, so a clerk reads "第3行「金额」不是有效的数字" instead of a bare "请输入一个数字".
The rules themselves are in ``disclosure_rules``.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from portal.pages import disclosure_rules as rules

# Top-level paths under /disclosures/ that the site's own views answer; a page with
# such a slug directly below the town's index would be hidden by them.
RESERVED_SLUGS = {"compliance"}


class _ReservedSlugMixin:
    def _check_reserved_slug(self):
        slug = self.cleaned_data.get("slug")
        parent = self.parent_page
        if slug in RESERVED_SLUGS and parent is not None and parent.depth <= 3:
            self.add_error("slug", forms.ValidationError(f"「{slug}」是系统保留地址，请换一个"))


class DisclosureIndexPageForm(_ReservedSlugMixin, WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check_reserved_slug()
        return cleaned_data


class DisclosurePageForm(_ReservedSlugMixin, WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check_reserved_slug()
        if self.parent_page is not None:
            # The model's clean() checks the catalog item against the village.
            self.instance.region_id = getattr(self.parent_page.specific, "region_id", None)
        self._name_finance_rows()
        return cleaned_data

    def _finance_forms_in_display_order(self):
        formset = self.formsets.get("finance_items")
        if formset is None:
            return []
        rows = []
        for position, form in enumerate(formset.forms):
            form.errors  # noqa: B018 - runs the child form's own validation (fills cleaned_data)
            if formset.can_delete and formset._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            try:
                order = int(form.data.get(form.add_prefix("ORDER")) or position)
            except ValueError:
                order = position
            rows.append((order, position, form))
        rows.sort(key=lambda row: (row[0], row[1]))
        return [form for _, _, form in rows]

    def _name_finance_rows(self):
        """Replace the child forms' generic errors with messages that name the row."""
        messages = []
        for number, form in enumerate(self._finance_forms_in_display_order(), start=1):
            raw = {
                name: form.data.get(form.add_prefix(name))
                for name in ("direction", "item", "amount")
            }
            row_errors = rules.finance_row_errors(
                number, raw["direction"], raw["item"], raw["amount"]
            )
            for field, message in row_errors.items():
                form._errors[field] = form.error_class([message])
                form.cleaned_data.pop(field, None)
                messages.append(message)
        if messages:
            self.add_error(None, forms.ValidationError(messages))
