"""Admin forms of the disclosure pages.

Wagtail builds the page edit form from the panels; these subclasses add the two
things a generic form cannot know: the village a new disclosure belongs to (its
parent index, before the page exists) and row-numbered messages for the finance
table, so a clerk reads "第3行「金额」不是有效的数字" instead of a bare "请输入一个数字".
The rules themselves are in ``disclosure_rules``.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from portal.pages.disclosures import leaks, rules
from portal.pages.slugs import short_slug

# POST keys of the admin actions that make content public or send it for review.
GOING_PUBLIC_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")

# Top-level paths under /disclosures/ that the site's own views answer; a page with
# such a slug directly below the town's index would be hidden by them.
RESERVED_SLUGS = {"compliance"}


class _ReservedSlugMixin:
    def _check_reserved_slug(self):
        slug = self.cleaned_data.get("slug")
        parent = self.parent_page
        if slug in RESERVED_SLUGS and parent is not None and parent.depth <= 3:
            self.add_error("slug", forms.ValidationError(f"「{slug}」是系统保留地址，请换一个"))


def _content_hash(document):
    """SHA-1 of the file (Wagtail's ``file_hash`` when it was computed on upload)."""
    if getattr(document, "file_hash", ""):
        return document.file_hash
    import hashlib

    try:
        with document.file.open("rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()  # noqa: S324 - identity, not security
    except Exception:  # a missing file cannot be compared; the pk check still applies
        return ""


class ShortSlugFormMixin:
    """Replaces a Unicode, over-long or taken slug with a short unique one (``portal.pages.slugs``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Whatever the browser filled in (a Chinese title, 200 characters) is turned
            # into a valid slug in clean_slug instead of being refused.
            field = self.fields["slug"]
            field.required = False
            field.validators = []
            field.max_length = None

    def slug_fallback(self):
        return None

    def clean_slug(self):
        wanted = (self.cleaned_data.get("slug") or "").strip()
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if self.instance.pk and wanted == self.instance.slug and len(wanted) <= 60:
            return wanted  # an existing page keeps its address
        return short_slug(wanted, parent, self.instance, self.slug_fallback())


class LeakCheckFormMixin(forms.Form):
    """Refuses submission/publication while the content holds personal numbers.

    The check runs only when the clerk submits or publishes (a draft may still be
    fixed later); every hit is a form error naming its place and offering the
    masked form. A private mobile number the person agreed to publish passes only
    with the box ticked and a reason typed; the hooks log that confirmation.
    """

    leak_confirm = forms.BooleanField(label="已取得当事人同意公开其手机号码", required=False)
    leak_reason = forms.CharField(
        label="同意公开的说明",
        required=False,
        max_length=200,
        help_text="例如：本人书面同意作为项目联系人公开手机号码（身份证号、银行卡号不能公开）",
    )

    def is_going_public(self):
        return any(self.data.get(name) for name in GOING_PUBLIC_ACTIONS)

    def _leak_sources(self):
        data = self.cleaned_data
        lines = []
        formset = self.formsets.get("finance_items")
        if formset is not None and hasattr(self, "_finance_forms_in_display_order"):
            for number, form in enumerate(self._finance_forms_in_display_order(), start=1):
                raw = form.data
                lines.append(
                    (number, raw.get(form.add_prefix("item")), raw.get(form.add_prefix("note")))
                )
        documents = []
        attachments = self.formsets.get("attachments")
        if attachments is not None:
            for form in attachments.forms:
                form.errors  # noqa: B018 - fills cleaned_data
                cleaned = getattr(form, "cleaned_data", {}) or {}
                if cleaned.get("DELETE") or not cleaned.get("document"):
                    continue
                documents.append((cleaned["document"], cleaned.get("title")))
        return dict(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            body=leaks.raw_stream(data.get("body")),
            finance_lines=lines,
            documents=documents,
        )

    def check_leaks(self):
        if not self.is_going_public():
            return
        found = leaks.scan_content(**self._leak_sources())
        if not found:
            return
        confirmed = (
            self.cleaned_data.get("leak_confirm")
            and (self.cleaned_data.get("leak_reason") or "").strip()
        )
        blocking = [leak for leak in found if not (confirmed and leak.confirmable)]
        if not blocking:
            self.confirmed_leaks = found
            return
        messages = [leak.message for leak in blocking]
        if any(leak.confirmable for leak in blocking):
            messages.append(
                "如当事人已同意公开其手机号码，请勾选「已取得当事人同意公开其手机号码」并填写说明。"
            )
        self.add_error(None, forms.ValidationError(messages))


class DisclosureIndexPageForm(_ReservedSlugMixin, ShortSlugFormMixin, WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check_reserved_slug()
        return cleaned_data


class DisclosurePageForm(
    _ReservedSlugMixin, ShortSlugFormMixin, LeakCheckFormMixin, WagtailAdminPageForm
):
    def slug_fallback(self):
        """e.g. village-2026-q3, finance-2026-m10, party-2026: what and when, readable."""
        data = self.data
        kind, year = data.get("kind") or "", data.get("year") or ""
        number = data.get("period_number") or ""
        period = {"month": f"m{number}", "quarter": f"q{number}"}.get(data.get("period_type"), "")
        return "-".join(part for part in (kind, year, period) if part) or None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            from django.utils import timezone

            from portal.pages.disclosures.defaults import new_disclosure_initial

            region = getattr(getattr(self.parent_page, "specific", None), "region", None)
            suggested = new_disclosure_initial(region, timezone.localdate())
            for name, value in suggested.items():
                if name in self.fields and self.initial.get(name) in (None, ""):
                    self.initial[name] = value

    def _refuse_duplicate_attachments(self):
        """The same file attached twice (same document, or same content) is refused."""
        formset = self.formsets.get("attachments")
        if formset is None:
            return
        seen = {}
        for form in formset.forms:
            form.errors  # noqa: B018 - fills cleaned_data
            cleaned = getattr(form, "cleaned_data", {}) or {}
            document = cleaned.get("document")
            if cleaned.get("DELETE") or document is None:
                continue
            keys = {("pk", document.pk)}
            digest = _content_hash(document)
            if digest:
                keys.add(("hash", digest))
            earlier = next((seen[key] for key in keys if key in seen), None)
            if earlier is not None:
                self.add_error(
                    None,
                    forms.ValidationError(
                        f"附件「{document.title}」与「{earlier.title}」是同一个文件，请勿重复添加"
                    ),
                )
            for key in keys:
                seen.setdefault(key, document)

    def clean(self):
        cleaned_data = super().clean()
        self._check_reserved_slug()
        self._refuse_duplicate_attachments()
        if self.parent_page is not None:
            # The model's clean() checks the catalog item against the village.
            self.instance.region_id = getattr(self.parent_page.specific, "region_id", None)
        self._name_finance_rows()
        self.check_leaks()
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


class NoticePageForm(ShortSlugFormMixin, LeakCheckFormMixin, WagtailAdminPageForm):
    """Notices get the same check before publication (``NoticePage.base_form_class``)."""

    def clean(self):
        cleaned_data = super().clean()
        self.check_leaks()
        return cleaned_data


class ShortSlugPageForm(ShortSlugFormMixin, WagtailAdminPageForm):
    """Any other page type: short unique slugs only."""
