"""Admin pieces shared by every register holding a sealed ID number (volunteers, care objects).

- ``SealedIdNumberFormMixin``: the clear ID-number field of a model form, never
  shown back in full, sealed into the instance once the form is valid;
- ``RevealIdNumberMixin``: the reveal-full-number view, GET explains, POST shows
  the number and writes who saw whose number to the audit log;
- ``SealedIdIndexView``, ``PersonButtonsEditMixin``, ``reveal_id_button``: the
  register's index search by full number or phone, and its per-person buttons.

Each register keeps its own rules (which number is acceptable, who may reveal it);
these pieces only hold what the two registers do alike.
"""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import IndexView

from . import pii
from .phones import normalise_phone
from .scope import restrict_to_scope

VIEW_ID_NUMBER_ACTION = "portal.view_id_number"


def scoped_person(model, user, pk):
    """Person ``pk`` of a register linked to regions through its grid, if in the user's regions, else 404."""
    queryset = restrict_to_scope(model.objects.select_related("grid__region"), user, "grid__region")
    return get_object_or_404(queryset, pk=pk)


def id_number_field(help_text):
    return forms.CharField(
        label="身份证号",
        max_length=30,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SealedIdNumberFormMixin:
    """For a model form with ``id_number = id_number_field(...)``.

    ``seal_id_number(instance, raw)`` is the register's own sealing function;
    the form's ``clean`` validates the number before it is sealed here.
    """

    seal_id_number = None  # staticmethod(register's seal function)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["id_number"]
        field.initial = ""
        if self.instance.pk:
            field.widget.attrs["placeholder"] = self.instance.id_number_masked
            field.help_text = f"已登记：{self.instance.id_number_masked}。如需更正，请输入完整的新号码；留空则不变"
        else:
            field.required = True
            field.error_messages["required"] = "请填写身份证号"

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def _post_clean(self):
        super()._post_clean()
        raw = self.cleaned_data.get("id_number") if hasattr(self, "cleaned_data") else None
        if not self.errors and raw:
            self.seal_id_number(self.instance, raw)


class RevealIdNumberMixin:
    """POST of a reveal view: log the view, then render with ``full_id_number``.

    The view sets ``self.person`` (after its permission and scope checks) and
    ``full_id_number`` (the register's decrypting function).
    """

    page_title = "查看完整身份证号"
    template_name = "snippets/admin/reveal_id_number.html"
    full_id_number = None  # staticmethod(register's decrypting function)
    person_label = ""

    def person_kind(self):
        """A qualifier shown after the name, e.g. the kind of care object."""
        return ""

    def back_url(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            person_label=self.person_label,
            person_kind=self.person_kind(),
            back_url=self.back_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            log(
                instance=self.person,
                action=VIEW_ID_NUMBER_ACTION,
                user=request.user,
                data={"masked": self.person.id_number_masked},
            )
        return self.render_to_response(
            self.get_context_data(full_id_number=self.full_id_number(self.person))
        )


def reveal_id_button(url_name, pk):
    """The "查看完整身份证号" button; show it only to users holding the reveal permission."""
    return Button(
        "查看完整身份证号", url=reverse(url_name, args=[pk]), icon_name="view", priority=40
    )


class SealedIdIndexView(IndexView):
    """Index of a register of people: search by full ID number or phone; per-row buttons.

    A full ID number is found through its keyed hash (the clear value is not
    stored); a phone typed with dashes or full-width digits is normalised.
    ``person_buttons(user, instance)`` (a staticmethod) lists the row's extra buttons.
    """

    person_buttons = None

    def search_queryset(self, queryset):
        if self.is_searching:
            query = self.search_query.strip()
            if pii.id_number_problem(query) is None:
                return queryset.filter(id_number_hash=pii.hash_id_number(query))
            phone = normalise_phone(query)
            if phone.isdigit() and len(phone) >= 7:
                return queryset.filter(phone__contains=phone)
        return super().search_queryset(queryset)

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *self.person_buttons(self.request.user, instance),
        ]


class PersonButtonsEditMixin:
    """Edit view: the same ``person_buttons`` in the header's "more" menu."""

    person_buttons = None

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.person_buttons(self.request.user, self.object)]
