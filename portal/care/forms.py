"""Admin forms for the care registers, every choice limited to the editing user's regions.

The care-object form takes the ID number as a plain field and stores it sealed
through ``services.assign_id_number`` (as the volunteer form does).
"""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from portal.snippets.forms import ScopedFormMixin
from portal.snippets.models import Region
from portal.snippets.phones import normalise_phone

from . import services


class CareObjectForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"grid": "region"}

    id_number = forms.CharField(
        label="身份证号",
        max_length=30,
        required=False,
        help_text="18位公民身份号码",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

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

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("id_number", "")
        if raw:
            problem = services.id_number_problem(raw, exclude_pk=self.instance.pk)
            if problem:
                self.add_error("id_number", problem)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        raw = self.cleaned_data.get("id_number") if hasattr(self, "cleaned_data") else None
        if not self.errors and raw:
            services.seal_id_number(self.instance, raw)


class _TownForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"town": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "town" in self.fields:
            self.fields["town"].queryset = self.fields["town"].queryset.filter(
                level=Region.Level.TOWN
            )


class VisitCadenceForm(_TownForm):
    pass


class GridRankingWeightsForm(_TownForm):
    pass
