"""Forms of the case admin: the create/edit form and one small form per lifecycle action.

The forms only collect input. Every rule (what is required, who may act) is
checked by ``portal.cases.services``; its ``CaseRuleError`` messages are put
back onto the form fields by ``add_rule_errors``.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel

from portal.snippets.models import Grid
from portal.snippets.scope import restrict_to_scope

from . import fields as case_fields
from .models import Case, CaseEvent

# The fields staff type on the create/edit form: those ``portal.cases.fields``
# declares editable. Lifecycle fields (status, resolution, tier, handler…) are
# changed by actions only.
CASE_FORM_FIELDS = case_fields.names(edit=True)

Action = CaseEvent.Action


class CaseAdminForm(WagtailAdminModelForm):
    """Create/edit form: the grid can only be chosen among the user's grids."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "grid" in self.fields:
            grids = Grid.objects.select_related("region").order_by("code")
            self.fields["grid"].queryset = restrict_to_scope(grids, for_user, "region")


def _placed(panel):
    if getattr(panel, "field_name", None):
        yield panel.field_name
    for child in getattr(panel, "children", ()):
        yield from _placed(child)


def complete_panels(layout, names=CASE_FORM_FIELDS):
    """The form's panels: ``layout``, then a plain panel for each of ``names`` it leaves out.

    The layout arranges the form (rows, headed groups, widgets); which fields the
    form holds is the declaration's (``fields.arrange``): a field declared
    editable but not placed is still on the form, and placing one that is not
    editable is an error.
    """
    placed = [name for panel in layout for name in _placed(panel)]
    rest = case_fields.arrange(names, placed)[len(placed) :]
    return [*layout, *(FieldPanel(name) for name in rest)]


def add_rule_errors(form, error):
    """Attach a ``CaseRuleError`` to ``form``: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def staff_for_case(case):
    """Users who may be chosen as handler: case handlers assigned to the case's village or above."""
    region_ids = []
    node = case.village
    while node is not None:
        region_ids.append(node.pk)
        node = node.parent
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_regions__region_id__in=region_ids)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="transition_case")
            | Q(user_permissions__codename="transition_case")
        )
        .distinct()
        .order_by("username")
    )


class _ActionForm(forms.Form):
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def transition_kwargs(self):
        """Keyword arguments for ``services.transition`` from the cleaned data."""
        return {"note": self.cleaned_data.get("note", "")}


class DispatchForm(_ActionForm):
    handler_unit = forms.CharField(label="处置单位", required=False, max_length=100)
    handler = forms.ModelChoiceField(label="处置人", required=False, queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["handler"].queryset = staff_for_case(case)
        self.fields["handler_unit"].initial = case.handler_unit

    def transition_kwargs(self):
        return {
            **super().transition_kwargs(),
            "handler_unit": self.cleaned_data.get("handler_unit", ""),
            "handler": self.cleaned_data.get("handler"),
        }


class CloseForm(_ActionForm):
    resolution = forms.CharField(
        label="处置结果", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mediated = forms.TypedChoiceField(
        label="调解是否成功",
        required=False,
        choices=[("", "请选择"), ("1", "调解成功"), ("0", "调解未成功")],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not case.category.is_dispute:
            del self.fields["mediated"]

    def transition_kwargs(self):
        return {
            **super().transition_kwargs(),
            "resolution": self.cleaned_data.get("resolution", ""),
            "mediated": self.cleaned_data.get("mediated"),
        }


class RateForm(_ActionForm):
    satisfaction = forms.ChoiceField(
        label="满意度",
        required=False,
        choices=[("", "请选择"), *Case.Satisfaction.choices],
    )

    def transition_kwargs(self):
        return {
            **super().transition_kwargs(),
            "satisfaction": self.cleaned_data.get("satisfaction") or None,
        }


class ReasonForm(_ActionForm):
    """退回 and 上报升级: the note is the reason (the service requires it)."""

    note = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS = {
    Action.DISPATCH: DispatchForm,
    Action.HANDLE: _ActionForm,
    Action.CLOSE: CloseForm,
    Action.VISIT: _ActionForm,
    Action.RATE: RateForm,
    Action.RETURN: ReasonForm,
    Action.ESCALATE: ReasonForm,
}


def action_form(action, case, data=None):
    return ACTION_FORMS[action](data, case=case, prefix=str(action))
